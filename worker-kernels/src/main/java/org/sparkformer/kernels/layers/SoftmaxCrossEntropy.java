package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;

/** Cross-entropy of row-wise softmax against integer targets; {@link MiniBatch#IGNORE} rows take no part. */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /** Number of targets that take part. */
    public static int counted(int[] targets) {
        int n = 0;
        for (int t : targets) {
            if (t != MiniBatch.IGNORE) {
                n++;
            }
        }
        return n;
    }

    /**
     * Mean loss over counted rows of {@code logits[R,C]}; when {@code dLogits} is not null also writes
     * {@code d(mean loss)/d logits} there. Returns 0 (and zero gradient) when nothing is counted.
     */
    public static double meanLoss(INDArray logits, int[] targets, INDArray dLogits, Workspace ws) {
        long rows = logits.rows();
        long classes = logits.columns();
        INDArray logProbs = ws.rows("loss.logprobs", rows, classes);
        Nd4j.exec(new LogSoftMax(logits, logProbs));
        HostArray lp = HostArray.of(logProbs);
        int count = counted(targets);
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t == MiniBatch.IGNORE) {
                continue;
            }
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("label " + t + " (prediction row " + r + ") is outside [0, " + classes + ")");
            }
            sum -= lp.get((int) (r * classes + t));
        }
        if (dLogits != null) {
            if (count == 0) {
                dLogits.assign(0);
            } else {
                Nd4j.exec(new Exp(logProbs, dLogits));
                INDArray weights = ws.rows("loss.rowweights", rows, 1);
                HostArray w = HostArray.of(weights);
                HostArray d = HostArray.of(dLogits);
                double scale = 1.0 / count;
                for (int r = 0; r < rows; r++) {
                    w.set(r, targets[r] == MiniBatch.IGNORE ? 0.0 : scale);
                }
                dLogits.muliColumnVector(weights);
                for (int r = 0; r < rows; r++) {
                    if (targets[r] != MiniBatch.IGNORE) {
                        int at = (int) (r * classes + targets[r]);
                        d.set(at, d.get(at) - scale);
                    }
                }
            }
        }
        return count == 0 ? 0.0 : sum / count;
    }
}
