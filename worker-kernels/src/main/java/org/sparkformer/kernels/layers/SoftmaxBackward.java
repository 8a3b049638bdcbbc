package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient through a row-wise softmax, {@code dS = P ⊙ (g − Σ_j g ⊙ P)} with {@code g = dP} (times the dropout mask
 * that was applied to P, when there is one), as one pass per row over host memory, rows split over
 * {@link HostThreads}.
 */
public final class SoftmaxBackward {

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
}
