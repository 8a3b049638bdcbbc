package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.testing.Batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MaskingTest {

    private static MiniBatch withToken(MiniBatch b, int index, int token) {
        int[] tokens = b.tokenIds().clone();
        tokens[index] = token;
        return new MiniBatch(b.rows(), b.seqLen(), tokens, b.attentionMask(), b.labels());
    }

    @Test
    void tokensUnderThePaddingMaskChangeNoOutputAtRealPositions() {
        for (NormPlacement norm : NormPlacement.values()) {
            TransformerConfig cfg = TransformerConfig.tiny(50).withArchitecture(org.sparkformer.kernels.config.Activation.GELU,
                    org.sparkformer.kernels.config.PositionalEncoding.SINUSOIDAL, norm, AttentionMode.BIDIRECTIONAL);
            TransformerModel model = new TransformerModel(cfg);
            MiniBatch batch = Batches.random(cfg, 10, new int[] {10, 6, 3}, 1L);
            INDArray before = model.encode(batch);
            MiniBatch changed = withToken(withToken(batch, 10 + 7, 33), 20 + 9, 44);   // row 1 pos 7, row 2 pos 9: padding
            INDArray after = model.encode(changed);
            for (int row = 0; row < 3; row++) {
                for (int i = 0; i < 10; i++) {
                    int n = row * 10 + i;
                    if (batch.attentionMask()[n] == 1) {
                        assertEquals(before.getRow(n), after.getRow(n), "row " + row + " position " + i);
                    }
                }
            }
            // and a real token does change the outputs of its row
            assertNotEquals(before.getRow(10), model.encode(withToken(batch, 10 + 2, 45)).getRow(10));
        }
    }

    @Test
    void paddingDoesNotChangeSequenceClassificationWithMeanPooling() {
        TransformerConfig cfg = TransformerConfig.tiny(50).withTask(Task.SEQUENCE_CLASSIFICATION, 3).withPooling(Pooling.MEAN);
        TransformerModel model = new TransformerModel(cfg);
        MiniBatch batch = Batches.random(cfg, 8, new int[] {8, 5}, 2L);
        INDArray before = model.logits(batch);
        INDArray after = model.logits(withToken(batch, 8 + 6, 17));
        assertEquals(before, after);
    }

    @Test
    void causalOutputsNeverDependOnLaterTokens() {
        TransformerConfig cfg = TransformerConfig.tiny(50).withTask(Task.CAUSAL_LM, 0);
        TransformerModel model = new TransformerModel(cfg);
        MiniBatch batch = Batches.random(cfg, 9, new int[] {9, 9}, 3L);
        INDArray before = model.logits(batch);
        int changedAt = 5;
        MiniBatch changed = withToken(withToken(batch, 9 + changedAt, (batch.tokenIds()[9 + changedAt] % 49) + 1), 9 + 8, 1);
        INDArray after = model.logits(changed);
        for (int i = 0; i < 9; i++) {
            if (i < changedAt) {
                assertEquals(before.getRow(9 + i), after.getRow(9 + i), "position " + i + " saw a later token");
            } else {
                assertNotEquals(before.getRow(9 + i), after.getRow(9 + i), "position " + i + " ignored its own past");
            }
            assertEquals(before.getRow(i), after.getRow(i), "row 0 changed");
        }
    }
}
