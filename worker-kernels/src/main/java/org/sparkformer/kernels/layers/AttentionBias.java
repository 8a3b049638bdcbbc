package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.host.HostArray;

/**
 * The additive attention mask of a batch, {@code bias[b, i*T + j]}: 0 where query i of row b may see key j,
 * {@value #MASKED} where key j is padding or (causal mode) lies after i. Added to the scores before softmax, a
 * masked key gets a weight of exactly 0. A batch where every query may see every key (no padding, not causal) has
 * no bias ({@code null}), so attention skips the add.
 */
public final class AttentionBias {

    static final double MASKED = -1e9;

    private AttentionBias() {
    }

    /** The bias of {@code batch}, or {@code null} when nothing is masked. */
    public static INDArray build(MiniBatch batch, AttentionMode mode, Workspace ws) {
        int rows = batch.rows();
        int t = batch.seqLen();
        if (mode != AttentionMode.CAUSAL && java.util.Arrays.stream(batch.attentionMask()).allMatch(m -> m != 0)) {
            return null;
        }
        INDArray bias = ws.rows("attention.bias", rows, (long) t * t);
        HostArray out = HostArray.of(bias);
        int[] mask = batch.attentionMask();
        boolean causal = mode == AttentionMode.CAUSAL;
        double[] row = new double[t * t];
        float[] staging = new float[t * t];
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    boolean hidden = mask[b * t + j] == 0 || (causal && j > i);
                    row[i * t + j] = hidden ? MASKED : 0.0;
                }
            }
            out.write(b * t * t, row, t * t, staging);
        }
        return bias;
    }
}
