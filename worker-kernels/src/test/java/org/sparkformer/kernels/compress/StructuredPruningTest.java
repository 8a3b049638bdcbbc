package org.sparkformer.kernels.compress;

import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.testing.Batches;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StructuredPruningTest {

    /** d16 with 4 heads of 4 and dFf 12, so that a block can lose some heads and neurons. */
    private static TransformerModel model(Task task, NormPlacement norm) {
        TransformerConfig micro = Batches.micro(task, norm, AttentionMode.BIDIRECTIONAL);
        TransformerConfig cfg = micro.toBuilder().dModel(16).heads(4).initStd(0.3).build();
        return new TransformerModel(cfg);
    }

    private static MiniBatch batch(TransformerModel model, long seed) {
        return Batches.random(model.config(), 6, new int[]{6, 4, 2}, seed);
    }

    private static float[] flat(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    @Test
    void prunedModelComputesWhatTheMaskedDenseModelComputes() {
        for (Task task : List.of(Task.SEQUENCE_CLASSIFICATION, Task.TOKEN_CLASSIFICATION, Task.MASKED_LM)) {
            for (NormPlacement norm : NormPlacement.values()) {
                TransformerModel dense = model(task, norm);
                StructuredPruning.Kept kept = StructuredPruning.keep(StructuredPruning.magnitude(dense), 0.5, 0.25);
                TransformerModel pruned = StructuredPruning.prune(dense, kept);
                StructuredPruning.mask(dense, kept);
                MiniBatch batch = batch(dense, 3L);

                float[] expected = flat(dense.logits(batch));
                float[] actual = flat(pruned.logits(batch));

                assertArrayEquals(expected, actual, 1e-5f, task + " " + norm);
                assertEquals(List.of(2, 2), pruned.config().headsPerLayer());
                assertEquals(List.of(9, 9), pruned.config().dFfPerLayer());
                assertTrue(pruned.numParameters() < dense.numParameters());
            }
        }
    }

    @Test
    void prunedMatricesArePhysicallySmallerAndTheConfigurationSaysSo() {
        TransformerModel dense = model(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE);
        StructuredPruning.Kept kept = new StructuredPruning.Kept(new int[][]{{0, 3}, {1, 2, 3}},
                new int[][]{{0, 1, 2, 3, 4, 5, 6, 7}, {11}});
        TransformerModel pruned = StructuredPruning.prune(dense, kept);

        assertArrayEquals(new long[]{3 * 2 * 4, 16}, pruned.namedParameters().get("blocks.0.attention.qkv.weight").shape());
        assertArrayEquals(new long[]{16, 3 * 4}, pruned.namedParameters().get("blocks.1.attention.out.weight").shape());
        assertArrayEquals(new long[]{1, 16}, pruned.namedParameters().get("blocks.1.ffn.in.weight").shape());
        assertArrayEquals(new long[]{16, 8}, pruned.namedParameters().get("blocks.0.ffn.out.weight").shape());
        // head 3's K rows of block 0 are rows 2*4.. of the pruned K part
        assertEquals(dense.namedParameters().get("blocks.0.attention.qkv.weight").getDouble(16 + 3 * 4 + 1, 5),
                pruned.namedParameters().get("blocks.0.attention.qkv.weight").getDouble(8 + 4 + 1, 5), 0);
        TransformerConfig again = TransformerConfig.fromJson(pruned.config().toJson());
        assertEquals(pruned.config(), again);
        assertTrue(pruned.config().toJson().contains("headsPerLayer"));
        assertTrue(!dense.config().toJson().contains("headsPerLayer"), "a uniform model's JSON is as before");
    }

    @Test
    void prunedModelTrainsWithItsOwnShapes() {
        TransformerModel pruned = StructuredPruning.prune(model(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE),
                new StructuredPruning.Kept(new int[][]{{1}, {0, 1, 2}}, new int[][]{{2, 5}, {0, 1, 2, 3, 4, 5, 6}}));
        MiniBatch batch = batch(pruned, 5L);
        double before = pruned.loss(batch);
        for (int i = 0; i < 20; i++) {
            pruned.lossAndGradients(batch, i);
            pruned.flatParameters().subi(pruned.flatGradients().mul(0.1));
        }
        assertTrue(pruned.loss(batch) < before, "gradient steps lower the loss: " + before + " -> " + pruned.loss(batch));
    }

    @Test
    void taylorImportanceOfAHeadThatContributesNothingIsZero() {
        TransformerModel dense = model(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE);
        StructuredPruning.mask(dense, new StructuredPruning.Kept(new int[][]{{0, 2, 3}, {0, 1, 2, 3}},
                new int[][]{java.util.stream.IntStream.range(0, 12).toArray(), java.util.stream.IntStream.range(0, 11).toArray()}));

        StructuredPruning.Importance importance = StructuredPruning.taylor(dense, List.of(batch(dense, 1L), batch(dense, 2L)));

        assertEquals(0.0, importance.heads()[0][1], 0.0);
        assertEquals(0.0, importance.neurons()[1][11], 0.0);
        assertTrue(importance.heads()[0][0] > 0 && importance.neurons()[0][0] > 0);
        StructuredPruning.Kept kept = StructuredPruning.keep(importance, 0.25, 0.1);
        assertArrayEquals(new int[]{0, 2, 3}, kept.heads()[0], "the silent head goes first");
        assertEquals(11, kept.neurons()[1].length);
        assertTrue(java.util.Arrays.stream(kept.neurons()[1]).noneMatch(j -> j == 11));
    }

    @Test
    void aRecipeRemovingEveryHeadOfABlockIsRefusedInOneLine() {
        StructuredPruning.Importance importance = StructuredPruning.magnitude(model(Task.SEQUENCE_CLASSIFICATION,
                NormPlacement.PRE));
        String e = assertThrows(IllegalArgumentException.class, () -> StructuredPruning.keep(importance, 0.9, 0.3))
                .getMessage();
        assertEquals("heads:0.9 would remove every one of the 4 heads of block 0 (round(0.9 x 4) = 4); at most 3 can go", e);
        assertEquals("ffn:1.0 is outside [0, 1): the share of ffn to remove from each block",
                assertThrows(IllegalArgumentException.class, () -> StructuredPruning.keep(importance, 0.3, 1.0)).getMessage());
    }
}
