package org.sparkformer.kernels.layers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.testing.Batches;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batched attention layer against a plain per-row, per-head, per-query loop with an explicit softmax. */
class AttentionReferenceTest {

    @ParameterizedTest
    @EnumSource(AttentionMode.class)
    void batchedAttentionMatchesAPlainLoopImplementation(AttentionMode mode) {
        int d = 12;
        int heads = 3;
        int dh = d / heads;
        int rows = 3;
        int t = 5;
        ParameterSet params = new ParameterSet(DataType.FLOAT);
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(params, "attn", d, heads, 0.0);
        params.allocate(3L, 0.02);
        // larger weights than the 0.02 init so that the softmax is far from uniform
        params.values().muli(20);
        params.get("attn.qkv.bias").value().assign(Nd4j.rand(DataType.FLOAT, 3 * d).subi(0.5));
        params.get("attn.out.bias").value().assign(Nd4j.rand(DataType.FLOAT, d).subi(0.5));

        TransformerConfig cfg = Batches.micro(Task.MASKED_LM, org.sparkformer.kernels.config.NormPlacement.PRE, mode);
        MiniBatch batch = Batches.random(cfg, t, new int[] {5, 3, 1}, 4L);
        Workspace ws = new Workspace(DataType.FLOAT);
        INDArray bias = AttentionBias.build(batch, mode, ws);
        BatchContext c = new BatchContext(rows, t, ws, false, 0L, bias, null);
        INDArray x = Nd4j.rand(DataType.FLOAT, rows * t, d).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows * t, d);
        attention.forward(x, y, c);

        double[][] wqkv = params.get("attn.qkv.weight").value().toDoubleMatrix();
        double[] bqkv = params.get("attn.qkv.bias").value().toDoubleVector();
        double[][] wo = params.get("attn.out.weight").value().toDoubleMatrix();
        double[] bo = params.get("attn.out.bias").value().toDoubleVector();
        double[][] xs = x.toDoubleMatrix();
        int[] mask = batch.attentionMask();
        int checked = 0;
        for (int b = 0; b < rows; b++) {
            double[][] qkv = new double[t][3 * d];
            for (int i = 0; i < t; i++) {
                for (int o = 0; o < 3 * d; o++) {
                    double s = bqkv[o];
                    for (int k = 0; k < d; k++) {
                        s += wqkv[o][k] * xs[b * t + i][k];
                    }
                    qkv[i][o] = s;
                }
            }
            for (int i = 0; i < t; i++) {
                double[] merged = new double[d];
                for (int h = 0; h < heads; h++) {
                    double[] scores = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        boolean visible = mask[b * t + j] == 1 && (mode == AttentionMode.BIDIRECTIONAL || j <= i);
                        if (!visible) {
                            scores[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double s = 0;
                        for (int k = 0; k < dh; k++) {
                            s += qkv[i][h * dh + k] * qkv[j][d + h * dh + k];
                        }
                        scores[j] = s / Math.sqrt(dh);
                        max = Math.max(max, scores[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < t; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        z += scores[j];
                    }
                    for (int j = 0; j < t; j++) {
                        for (int k = 0; k < dh; k++) {
                            merged[h * dh + k] += scores[j] / z * qkv[j][2 * d + h * dh + k];
                        }
                    }
                }
                if (mask[b * t + i] == 0) {
                    continue;   // a padding query has no visible key in causal mode when all before it are padding
                }
                for (int o = 0; o < d; o++) {
                    double s = bo[o];
                    for (int k = 0; k < d; k++) {
                        s += wo[o][k] * merged[k];
                    }
                    assertEquals(s, y.getDouble(b * t + i, o), 1e-5, "row " + b + " query " + i + " feature " + o);
                    checked++;
                }
            }
        }
        assertEquals((5 + 3 + 1) * d, checked);
    }
}
