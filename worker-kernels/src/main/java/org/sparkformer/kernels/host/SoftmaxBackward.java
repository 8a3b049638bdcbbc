package org.sparkformer.kernels.host;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient through a row-wise softmax whose output P may have been dropped out to {@code W = P ⊙ mask} before use:
 * with {@code g = dL/dW}, {@code dS = W ⊙ g − P ⊙ Σ_j (W ⊙ g)} (for {@code W = P} the plain softmax gradient
 * {@code P ⊙ (g − Σ_j P ⊙ g)}), so the mask itself need not be kept. One pass per row over host memory, rows split
 * over {@link HostThreads}.
 */
public final class SoftmaxBackward {

    /** Values per bulk read of the float pass. */
    private static final int VALUES_PER_PASS = 4096;

    private SoftmaxBackward() {
    }

    /**
     * Writes {@code dScores} from {@code probs}, {@code dWeights} (the gradient reaching the weights) and the dropped
     * {@code weights}, or null when the weights are the probabilities themselves; all contiguous with the same shape,
     * rows of {@code width}.
     */
    public static void rows(INDArray probs, INDArray dWeights, INDArray weights, INDArray dScores, int width) {
        HostArray p = HostArray.of(probs);
        HostArray g = HostArray.of(dWeights);
        HostArray w = weights == null ? p : HostArray.of(weights);
        HostArray out = HostArray.of(dScores);
        int rows = p.length() / width;
        if (p.isFloat() && g.isFloat() && out.isFloat() && w.isFloat()) {
            floatRows(p, g, w, out, width, rows);
            return;
        }
        HostThreads.forRange(rows, 64, (first, last) -> {
            double[] pRow = new double[width];
            double[] gRow = new double[width];
            double[] wRow = new double[width];
            float[] staging = new float[width];
            for (int r = first; r < last; r++) {
                int at = r * width;
                p.read(at, pRow, width, staging);
                g.read(at, gRow, width, staging);
                w.read(at, wRow, width, staging);
                for (int j = 0; j < width; j++) {
                    gRow[j] *= wRow[j];
                }
                double dot = DoubleRows.sum(gRow, width);
                for (int j = 0; j < width; j++) {
                    gRow[j] -= pRow[j] * dot;
                }
                out.write(at, gRow, width, staging);
            }
        });
    }

    /** The same pass on float rows, several rows per bulk read; products in float, the row's sum in double. */
    private static void floatRows(HostArray p, HostArray g, HostArray w, HostArray out, int width, int rows) {
        int perPass = Math.max(1, VALUES_PER_PASS / width);
        HostThreads.forRange(rows, 64, (first, last) -> {
            float[] probs = new float[perPass * width];
            float[] grads = new float[perPass * width];
            float[] weights = new float[perPass * width];
            for (int r0 = first; r0 < last; r0 += perPass) {
                int n = Math.min(perPass, last - r0) * width;
                int at = r0 * width;
                p.readFloats(at, probs, n);
                g.readFloats(at, grads, n);
                w.readFloats(at, weights, n);
                for (int j = 0; j < n; j++) {
                    grads[j] *= weights[j];
                }
                for (int row = 0; row < n; row += width) {
                    float dot = (float) FloatRows.sum(grads, row, width);
                    for (int j = row; j < row + width; j++) {
                        grads[j] -= probs[j] * dot;
                    }
                }
                out.writeFloats(at, grads, n);
            }
        });
    }
}
