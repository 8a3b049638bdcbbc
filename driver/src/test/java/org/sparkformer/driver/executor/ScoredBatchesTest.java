package org.sparkformer.driver.executor;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records scored in windows sorted by length come back in input order, each with the scores the model's eval
 * forward gives that record alone: the length buckets and the inference path change the cost, not the answer.
 */
class ScoredBatchesTest {

    private static final int VOCAB = 40;

    /** Sequences of 2..30 tokens in a shuffled order, a target at every other position for token tasks. */
    private static List<EncodedSequence> sequences(int count, boolean tokenTargets) {
        Random random = new Random(17);
        List<EncodedSequence> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int length = 2 + random.nextInt(29);
            int[] ids = random.ints(length, 5, VOCAB).toArray();
            int[] targets = null;
            if (tokenTargets) {
                targets = new int[length];
                for (int i = 0; i < length; i++) {
                    targets[i] = i % 2 == 0 ? 0 : MiniBatch.IGNORE;
                }
            }
            out.add(new EncodedSequence(ids, targets, tokenTargets ? MiniBatch.IGNORE : 0, false, "s" + s));
        }
        return out;
    }

    /** The training forward in eval mode on a one-row batch of exactly the sequence: its logits at the targets. */
    private static float[][] alone(TransformerModel model, EncodedSequence s) {
        int n = s.length();
        int[] mask = new int[n];
        Arrays.fill(mask, 1);
        boolean perToken = model.config().task() == Task.TOKEN_CLASSIFICATION;
        int[] labels = perToken ? s.tokenLabels() : new int[] {s.label()};
        float[][] logits = model.logits(new MiniBatch(1, n, s.tokenIds(), mask, labels)).castTo(DataType.FLOAT).toFloatMatrix();
        if (!perToken) {
            return logits;
        }
        return java.util.stream.IntStream.range(0, n).filter(i -> labels[i] != MiniBatch.IGNORE).mapToObj(i -> logits[i])
                .toArray(float[][]::new);
    }

    private static void assertScoredAloneInInputOrder(Task task, int labels) {
        TransformerConfig config = TransformerConfig.tiny(VOCAB).withTask(task, labels);
        TransformerModel model = new TransformerModel(config);
        List<EncodedSequence> inputs = sequences(2 * ScoredBatches.WINDOW_BATCHES * 3 + 5, task == Task.TOKEN_CLASSIFICATION);
        BroadcastInferenceModel shared = BroadcastInferenceModel.broadcast(TestClusters.jsc(), config, model.parametersAsFloats());
        try {
            List<Row> rows = new ArrayList<>();
            new ScoredBatches<>(inputs.iterator(), 3, shared, s -> s,
                    (s, scores) -> RowFactory.create(s.sourceRef(), scores)).forEachRemaining(rows::add);
            assertEquals(inputs.size(), rows.size());
            for (int i = 0; i < inputs.size(); i++) {
                EncodedSequence s = inputs.get(i);
                assertEquals(s.sourceRef(), rows.get(i).getString(0));
                float[][] scored = (float[][]) rows.get(i).get(1);
                float[][] expected = alone(model, s);
                assertEquals(expected.length, scored.length, s.sourceRef());
                for (int t = 0; t < expected.length; t++) {
                    assertArrayEquals(expected[t], scored[t], 1e-4f, s.sourceRef() + " target " + t);
                }
            }
            assertTrue(inputs.stream().mapToInt(EncodedSequence::length).distinct().count() > 10, "mixed lengths");
        } finally {
            shared.release();
        }
    }

    @Test
    void sequenceScoresComeBackInInputOrderAsEachSequenceScoredAlone() {
        assertScoredAloneInInputOrder(Task.SEQUENCE_CLASSIFICATION, 4);
    }

    @Test
    void tagScoresComeBackInInputOrderAsEachSentenceScoredAlone() {
        assertScoredAloneInInputOrder(Task.TOKEN_CLASSIFICATION, 5);
    }
}
