package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Column sums of a c-order {@code [rows, cols]} array added into a vector (bias and position gradients), as one
 * pass over host memory with double accumulators: a BLAS product with a column of ones was several times slower.
 */
public final class ColumnSums {

    private ColumnSums() {
    }

    /** {@code sums[cols] += Σ_rows m[rows, cols]}; both contiguous. */
    public static void addTo(INDArray m, INDArray sums) {
        int rows = Math.toIntExact(m.rows());
        int cols = Math.toIntExact(m.columns());
        if (sums.length() != cols) {
            throw new IllegalArgumentException("sums has " + sums.length() + " values for " + cols + " columns");
        }
        HostArray source = HostArray.of(m);
        HostArray target = HostArray.of(sums);
        double[] acc = new double[cols];
        double[] row = new double[cols];
        float[] staging = new float[cols];
        for (int r = 0; r < rows; r++) {
            source.read(r * cols, row, cols, staging);
            for (int k = 0; k < cols; k++) {
                acc[k] += row[k];
            }
        }
        target.read(0, row, cols, staging);
        for (int k = 0; k < cols; k++) {
            row[k] += acc[k];
        }
        target.write(0, row, cols, staging);
    }
}
