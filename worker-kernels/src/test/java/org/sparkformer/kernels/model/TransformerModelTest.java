package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.testing.Batches;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerModelTest {

    @Test
    void namedParametersAreOrderedViewsCoveringTheFlatBuffer() {
        TransformerConfig cfg = TransformerConfig.tiny(40).withArchitecture(org.sparkformer.kernels.config.Activation.GELU,
                PositionalEncoding.LEARNED, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        TransformerModel model = new TransformerModel(cfg);
        Map<String, INDArray> named = model.namedParameters();
        List<String> names = List.copyOf(named.keySet());
        assertEquals("embeddings.token.weight", names.get(0));
        assertEquals("embeddings.position.weight", names.get(1));
        assertEquals("blocks.0.ln1.gamma", names.get(2));
        assertTrue(names.containsAll(List.of("blocks.1.attention.qkv.weight", "blocks.1.ffn.out.bias", "final_ln.gamma",
                "head.mlm.transform.weight", "head.mlm.bias")));
        assertArrayEquals(new long[] {96, 32}, named.get("blocks.0.attention.qkv.weight").shape());
        assertArrayEquals(new long[] {40, 32}, named.get("embeddings.token.weight").shape());
        long total = named.values().stream().mapToLong(INDArray::length).sum();
        assertEquals(model.numParameters(), total);
        named.get("final_ln.beta").putScalar(3, 0.75);
        long offset = model.namedParameters().entrySet().stream().takeWhile(e -> !e.getKey().equals("final_ln.beta"))
                .mapToLong(e -> e.getValue().length()).sum();
        assertEquals(0.75, model.flatParameters().getDouble(offset + 3), 1e-7);
        assertEquals(1.0, named.get("blocks.0.ln1.gamma").meanNumber().doubleValue(), 0.0);
        double initStd = model.config().initStd();
        assertEquals(initStd, named.get("blocks.0.ffn.in.weight").stdNumber().doubleValue(), 0.1 * initStd);
    }

    @Test
    void outputsHaveTheDocumentedShapesAndProbabilitiesSumToOne() {
        TransformerConfig lm = TransformerConfig.tiny(30);
        MiniBatch batch = Batches.random(lm, 7, new int[] {7, 4}, 1L);
        TransformerModel model = new TransformerModel(lm);
        assertArrayEquals(new long[] {14, 30}, model.logits(batch).shape());
        assertArrayEquals(new long[] {14, 32}, model.encode(batch).shape());
        INDArray probs = model.probabilities(batch);
        assertEquals(14.0, probs.sumNumber().doubleValue(), 1e-4);
        TransformerConfig cls = lm.withTask(Task.SEQUENCE_CLASSIFICATION, 4);
        MiniBatch clsBatch = Batches.random(cls, 7, new int[] {7, 4, 2}, 1L);
        assertArrayEquals(new long[] {3, 4}, new TransformerModel(cls).logits(clsBatch).shape());
        assertTrue(new TransformerModel(lm).loss(batch) > 0);
    }

    @Test
    void nothingLabelledGivesZeroLossAndZeroGradients() {
        TransformerConfig cfg = TransformerConfig.tiny(30);
        MiniBatch labelled = Batches.random(cfg, 6, new int[] {6, 6}, 1L);
        int[] none = new int[12];
        Arrays.fill(none, MiniBatch.IGNORE);
        TransformerModel model = new TransformerModel(cfg);
        assertTrue(model.lossAndGradients(labelled, 1L) > 0);
        MiniBatch unlabelled = new MiniBatch(2, 6, labelled.tokenIds(), labelled.attentionMask(), none);
        assertEquals(0.0, model.lossAndGradients(unlabelled, 1L));
        assertEquals(0.0, model.flatGradients().norm2Number().doubleValue());
    }

    @Test
    void badInputIsRejectedWithThePlaceNamed() {
        TransformerConfig cfg = TransformerConfig.tiny(30);
        TransformerModel model = new TransformerModel(cfg);
        MiniBatch batch = Batches.random(cfg, 4, new int[] {4}, 1L);
        int[] tokens = batch.tokenIds().clone();
        tokens[2] = 30;
        MiniBatch bad = new MiniBatch(1, 4, tokens, batch.attentionMask(), batch.labels());
        assertEquals("token id 30 at row 0, position 2 is outside the vocabulary [0, 30)",
                assertThrows(IllegalArgumentException.class, () -> model.loss(bad)).getMessage());
        MiniBatch perRow = new MiniBatch(2, 4, new int[8], new int[8], new int[] {1, 2});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.loss(perRow)).getMessage()
                .contains("needs one label per token"));
    }

    @Test
    void fromPretrainedCopiesTheEncoderAndFreshensTheHead() {
        TransformerConfig lm = TransformerConfig.tiny(30);
        TransformerModel pretrained = new TransformerModel(lm.withSeed(5));
        TransformerModel tuned = TransformerModel.fromPretrained(pretrained, lm.withTask(Task.TOKEN_CLASSIFICATION, 5).withSeed(9));
        Map<String, INDArray> source = pretrained.namedParameters();
        tuned.namedParameters().forEach((name, value) -> {
            if (!name.startsWith("head.")) {
                assertEquals(source.get(name), value, name);
            }
        });
        assertArrayEquals(new long[] {5, 32}, tuned.namedParameters().get("head.classifier.weight").shape());
        MiniBatch batch = Batches.random(lm, 5, new int[] {5, 3}, 2L);
        assertEquals(pretrained.encode(batch), tuned.encode(batch));
        TransformerConfig wider = TransformerConfig.small(30).withTask(Task.TOKEN_CLASSIFICATION, 5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TransformerModel.fromPretrained(pretrained, wider))
                .getMessage().startsWith("parameter embeddings.token.weight has shape"));
    }

    @Test
    void frozenEmbeddingsAndLowerBlocksGetZeroGradients() {
        TransformerConfig cfg = TransformerConfig.tiny(30).withTask(Task.TOKEN_CLASSIFICATION, 3);
        TransformerModel model = new TransformerModel(cfg);
        model.setFrozen(true, 1);
        model.lossAndGradients(Batches.random(cfg, 6, new int[] {6, 5}, 3L), 1L);
        model.namedGradients().forEach((name, grad) -> {
            double norm = grad.norm2Number().doubleValue();
            if (name.startsWith("embeddings.") || name.startsWith("blocks.0.")) {
                assertEquals(0.0, norm, name);
            } else if (name.endsWith("weight")) {
                assertNotEquals(0.0, norm, name);
            }
        });
        INDArray decay = model.weightDecayMask();
        assertEquals(0.0, decay.getDouble(0));   // frozen embedding: no decay
    }

    @Test
    void doublePrecisionModelsAgreeWithFloatModels() {
        TransformerConfig cfg = TransformerConfig.tiny(30);
        MiniBatch batch = Batches.random(cfg, 6, new int[] {6, 2}, 4L);
        double f = new TransformerModel(cfg).loss(batch);
        double d = new TransformerModel(cfg, DataType.DOUBLE).loss(batch);
        assertEquals(d, f, 1e-4);
    }
}
