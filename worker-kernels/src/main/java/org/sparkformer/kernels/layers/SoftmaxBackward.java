package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient through a row-wise softmax, {@code dS = P ⊙ (g − Σ_j g ⊙ P)} with {@code g = dP} (times the dropout mask
 * that was applied to P, when there is one), as one pass per row over host memory, rows split over
 * {@link HostThreads}.
 */
public final class SoftmaxBackward {

    /** Values per bulk read of the float pass. */
    private static final int VALUES_PER_PASS = 4096;

    private SoftmaxBackward() {
    }

    /**
     * Writes {@code dScores} from {@code probs}, {@code dProbs} and the optional {@code dropMask}; all contiguous
     * with the same shape, rows of {@code width}.
     */
    public static void rows(INDArray probs, INDArray dProbs, INDArray dropMask, INDArray dScores, int width) {
        HostArray p = HostArray.of(probs);
        HostArray g = HostArray.of(dProbs);
        HostArray mask = dropMask == null ? null : HostArray.of(dropMask);
        HostArray out = HostArray.of(dScores);
        int rows = p.length() / width;
        if (p.isFloat() && g.isFloat() && out.isFloat() && (mask == null || mask.isFloat())) {
            floatRows(p, g, mask, out, width, rows);
            return;
        }
        HostThreads.forRange(rows, 64, (first, last) -> {
            double[] pRow = new double[width];
            double[] gRow = new double[width];
            double[] mRow = new double[width];
            float[] staging = new float[width];
            for (int r = first; r < last; r++) {
                int at = r * width;
                p.read(at, pRow, width, staging);
                g.read(at, gRow, width, staging);
                if (mask != null) {
                    mask.read(at, mRow, width, staging);
                    for (int j = 0; j < width; j++) {
                        gRow[j] *= mRow[j];
                    }
                }
                double dot = 0;
                for (int j = 0; j < width; j++) {
                    dot += gRow[j] * pRow[j];
                }
                for (int j = 0; j < width; j++) {
                    gRow[j] = pRow[j] * (gRow[j] - dot);
                }
                out.write(at, gRow, width, staging);
            }
        });
    }

    /** The same pass on float rows, several rows per bulk read; products in float, the row's dot product in double. */
    private static void floatRows(HostArray p, HostArray g, HostArray mask, HostArray out, int width, int rows) {
        int perPass = Math.max(1, VALUES_PER_PASS / width);
        HostThreads.forRange(rows, 64, (first, last) -> {
            float[] probs = new float[perPass * width];
            float[] grads = new float[perPass * width];
            float[] keep = new float[perPass * width];
            for (int r0 = first; r0 < last; r0 += perPass) {
                int n = Math.min(perPass, last - r0) * width;
                int at = r0 * width;
                p.readFloats(at, probs, n);
                g.readFloats(at, grads, n);
                if (mask != null) {
                    mask.readFloats(at, keep, n);
                    for (int j = 0; j < n; j++) {
                        grads[j] *= keep[j];
                    }
                }
                for (int j = 0; j < n; j++) {
                    keep[j] = grads[j] * probs[j];
                }
                for (int row = 0; row < n; row += width) {
                    float dot = (float) FloatRows.sum(keep, row, width);
                    for (int j = row; j < row + width; j++) {
                        grads[j] = probs[j] * (grads[j] - dot);
                    }
                }
                out.writeFloats(at, grads, n);
            }
        });
    }
}
