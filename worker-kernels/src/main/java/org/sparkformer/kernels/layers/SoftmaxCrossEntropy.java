package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.host.FloatExp;
import org.sparkformer.kernels.host.FloatRows;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;

/**
 * Cross-entropy of row-wise softmax against integer targets; {@link MiniBatch#IGNORE} rows take no part. One pass
 * per row over host memory (max, exponentials with {@link FloatExp} for float rows, their sum in double, the loss
 * term and the gradient row), rows split over {@link HostThreads}; the per-row losses are added in row order, so
 * the result does not depend on the thread count.
 */
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
     * Mean loss over counted rows of {@code logits[R,C]} (contiguous); when {@code dLogits} is not null also writes
     * {@code d(mean loss)/d logits} there. Returns 0 (and zero gradient) when nothing is counted.
     */
    public static double meanLoss(INDArray logits, int[] targets, INDArray dLogits) {
        int rows = Math.toIntExact(logits.rows());
        int classes = Math.toIntExact(logits.columns());
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t != MiniBatch.IGNORE && (t < 0 || t >= classes)) {
                throw new IllegalArgumentException("label " + t + " (prediction row " + r + ") is outside [0, " + classes + ")");
            }
        }
        int count = counted(targets);
        if (count == 0) {
            if (dLogits != null) {
                dLogits.assign(0);
            }
            return 0.0;
        }
        HostArray in = HostArray.of(logits);
        HostArray out = dLogits == null ? null : HostArray.of(dLogits);
        boolean floats = in.isFloat() && (out == null || out.isFloat());
        double scale = 1.0 / count;
        double[] losses = new double[rows];
        HostThreads.forRange(rows, 4, (first, last) -> {
            RowPass pass = floats ? new FloatRowPass(classes) : new DoubleRowPass(classes);
            for (int r = first; r < last; r++) {
                losses[r] = pass.row(in, out, r, targets[r], scale);
            }
        });
        double sum = 0;
        for (double loss : losses) {
            sum += loss;
        }
        return sum / count;
    }

    /** One row: returns its loss term (0 when ignored) and writes its gradient row when {@code out} is not null. */
    private interface RowPass {
        double row(HostArray in, HostArray out, int r, int target, double scale);
    }

    private static final class FloatRowPass implements RowPass {
        private final int classes;
        private final float[] values;
        private final float[] scratch;

        FloatRowPass(int classes) {
            this.classes = classes;
            this.values = new float[classes];
            this.scratch = new float[classes];
        }

        @Override
        public double row(HostArray in, HostArray out, int r, int target, double scale) {
            int at = r * classes;
            if (target == MiniBatch.IGNORE) {
                if (out != null) {
                    java.util.Arrays.fill(values, 0f);
                    out.writeFloats(at, values, classes);
                }
                return 0.0;
            }
            in.readFloats(at, values, classes);
            float max = FloatRows.max(values, 0, classes);
            double picked = values[target] - (double) max;
            for (int j = 0; j < classes; j++) {
                values[j] -= max;
            }
            FloatExp.exp(values, classes, scratch);
            double sum = FloatRows.sum(values, 0, classes);
            if (out != null) {
                float factor = (float) (scale / sum);
                for (int j = 0; j < classes; j++) {
                    values[j] *= factor;
                }
                values[target] -= (float) scale;
                out.writeFloats(at, values, classes);
            }
            return Math.log(sum) - picked;
        }
    }

    private static final class DoubleRowPass implements RowPass {
        private final int classes;
        private final double[] values;
        private final float[] staging;

        DoubleRowPass(int classes) {
            this.classes = classes;
            this.values = new double[classes];
            this.staging = new float[classes];
        }

        @Override
        public double row(HostArray in, HostArray out, int r, int target, double scale) {
            int at = r * classes;
            if (target == MiniBatch.IGNORE) {
                if (out != null) {
                    java.util.Arrays.fill(values, 0.0);
                    out.write(at, values, classes, staging);
                }
                return 0.0;
            }
            in.read(at, values, classes, staging);
            double max = values[0];
            for (int j = 1; j < classes; j++) {
                max = Math.max(max, values[j]);
            }
            double picked = values[target] - max;
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                values[j] = Math.exp(values[j] - max);
                sum += values[j];
            }
            if (out != null) {
                for (int j = 0; j < classes; j++) {
                    values[j] *= scale / sum;
                }
                values[target] -= scale;
                out.write(at, values, classes, staging);
            }
            return Math.log(sum) - picked;
        }
    }
}
