package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;
import org.sparkformer.kernels.testing.Batches;

import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference path computes what the training forward computes in eval mode ({@link TransformerModel#logits},
 * {@link TransformerModel#encode}), to float rounding, for every task and on padded batches of mixed lengths.
 */
class InferenceTest {

    /** Rows of 9, 3, 6, 1 and 9 real tokens in a batch of 9 positions: padding in most rows, one full row. */
    private static final int[] MIXED = {9, 3, 6, 1, 9};
    private static final int SEQ = 9;

    /** A tiny model (with the presets' local convolution) whose parameters are spread out, so no path hides in the init. */
    private static TransformerModel model(TransformerConfig cfg, DataType type) {
        TransformerModel model = new TransformerModel(cfg, type);
        Random random = new Random(cfg.seed());
        float[] values = model.parametersAsFloats();
        for (int i = 0; i < values.length; i++) {
            values[i] = values[i] * 3 + (float) (0.05 * random.nextGaussian());
        }
        model.loadParameters(values);
        return model;
    }

    private static TransformerModel model(TransformerConfig cfg) {
        return model(cfg, DataType.FLOAT);
    }

    /** {@code max |actual - expected| <= tolerance * max(1, max |expected|)}, with the shapes equal. */
    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double worst = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(worst <= tolerance * scale, "largest difference " + worst + " against values up to " + scale);
    }

    /** The labelled positions of a token-level batch, in order. */
    private static int[] labelled(MiniBatch batch) {
        int[] labels = batch.labels();
        return IntStream.range(0, labels.length).filter(i -> labels[i] != MiniBatch.IGNORE).toArray();
    }

    @Test
    void sequenceClassificationLogitsMatchTheEvalForwardOnPaddedMixedLengthBatches() {
        for (Pooling pooling : Pooling.values()) {
            TransformerConfig cfg = TransformerConfig.tiny(31).withTask(Task.SEQUENCE_CLASSIFICATION, 5).withPooling(pooling);
            TransformerModel model = model(cfg);
            MiniBatch batch = Batches.random(cfg, SEQ, MIXED, 3L);
            INDArray expected = model.logits(batch);
            assertArrayEquals(new long[] {MIXED.length, 5}, expected.shape());
            assertClose(expected, model.inference().logits(batch), 1e-5);
        }
    }

    @Test
    void tokenTaggingLogitsAtWordStartsMatchTheEvalForward() {
        for (WordPooling words : WordPooling.values()) {
            TransformerConfig cfg = TransformerConfig.tiny(31).withTask(Task.TOKEN_CLASSIFICATION, 6).withWordPooling(words);
            TransformerModel model = model(cfg);
            MiniBatch batch = Batches.random(cfg, SEQ, MIXED, 4L);
            INDArray expected = model.logits(batch);                         // [rows*T, 6]
            assertClose(expected, model.inference().logits(batch), 1e-5);
            int[] starts = labelled(batch);
            INDArray atStarts = model.inference().logitsAt(batch, starts);
            assertClose(Nd4j.pullRows(expected, 1, starts), atStarts, 1e-5);
        }
    }

    @Test
    void maskedLmLogitsMatchTheEvalForwardEverywhereAndAtChosenPositions() {
        TransformerConfig cfg = TransformerConfig.tiny(37);
        TransformerModel model = model(cfg);
        MiniBatch batch = Batches.random(cfg, SEQ, MIXED, 5L);
        INDArray expected = model.logits(batch);                             // [rows*T, vocab]
        INDArray out = Nd4j.create(DataType.FLOAT, (long) MIXED.length * SEQ, 37);
        assertClose(expected, model.inference().logits(batch, out), 1e-5);
        int[] positions = {1, 12, 13, 40};
        INDArray at = model.inference().logitsAt(batch, positions);
        assertArrayEquals(new long[] {4, 37}, at.shape());
        assertClose(Nd4j.pullRows(expected, 1, positions), at, 1e-5);
        assertClose(model.encode(batch), model.inference().hidden(batch), 1e-5);
    }

    @Test
    void postNormCausalAndEmbeddingNormModelsMatchTheEvalForward() {
        TransformerConfig post = TransformerConfig.tiny(29).withArchitecture(Activation.RELU, PositionalEncoding.SINUSOIDAL,
                NormPlacement.POST, AttentionMode.BIDIRECTIONAL).withTask(Task.TOKEN_CLASSIFICATION, 4);
        TransformerConfig causal = TransformerConfig.tiny(29).withTask(Task.CAUSAL_LM, 0).withEmbeddingNorm(true);
        TransformerConfig plain = TransformerConfig.tiny(29).withConvolution(0).withTask(Task.SEQUENCE_CLASSIFICATION, 3);
        for (TransformerConfig cfg : new TransformerConfig[] {post, causal, plain}) {
            TransformerModel model = model(cfg);
            MiniBatch batch = Batches.random(cfg, SEQ, MIXED, 6L);
            assertClose(model.logits(batch), model.inference().logits(batch), 1e-5);
        }
    }

    @Test
    void doubleModelsMatchTheEvalForwardToDoubleRounding() {
        TransformerConfig cfg = TransformerConfig.tiny(23).withTask(Task.TOKEN_CLASSIFICATION, 4);
        TransformerModel model = model(cfg, DataType.DOUBLE);
        MiniBatch batch = Batches.random(cfg, SEQ, MIXED, 7L);
        INDArray logits = model.inference().logits(batch);
        assertEquals(DataType.DOUBLE, logits.dataType());
        assertClose(model.logits(batch), logits, 1e-10);
    }

    @Test
    void smallerBatchesAfterLargerOnesReuseTheBuffersAndGiveTheSameLogits() {
        TransformerConfig cfg = TransformerConfig.tiny(31).withTask(Task.SEQUENCE_CLASSIFICATION, 5);
        TransformerModel model = model(cfg);
        MiniBatch large = Batches.random(cfg, 20, new int[] {20, 7, 15, 20, 2, 11}, 8L);
        MiniBatch small = Batches.random(cfg, 4, new int[] {4, 2}, 9L);
        INDArray first = model.inference().logits(small).dup();
        model.inference().logits(large);
        INDArray again = model.inference().logits(small);
        assertClose(first, again, 0.0);
        assertClose(model.logits(small), again, 1e-5);
        assertClose(model.logits(large), model.inference().logits(large), 1e-5);
    }

    @Test
    void logitsAtPositionsRejectSequenceModelsAndPositionsOutsideTheBatch() {
        TransformerConfig cls = TransformerConfig.tiny(31).withTask(Task.SEQUENCE_CLASSIFICATION, 5);
        MiniBatch batch = Batches.random(cls, SEQ, MIXED, 10L);
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> new TransformerModel(cls).inference().logitsAt(batch, new int[] {0}));
        assertTrue(task.getMessage().contains("SEQUENCE_CLASSIFICATION"), task.getMessage());
        TransformerConfig lm = TransformerConfig.tiny(31);
        MiniBatch lmBatch = Batches.random(lm, SEQ, MIXED, 10L);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> new TransformerModel(lm).inference().logitsAt(lmBatch, new int[] {3, 45}));
        assertEquals("position 45 is outside the batch's 5 x 9 tokens", outside.getMessage());
    }
}
