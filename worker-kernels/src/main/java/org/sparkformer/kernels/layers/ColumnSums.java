package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Column sums of a c-order {@code [rows, cols]} array added into a vector (bias and position gradients), as one
 * pass over host memory with double accumulators: a BLAS product with a column of ones was several times slower.
 * Rows are summed per block of {@value #BLOCK} over {@link HostThreads} and the blocks added in order, so the result
 * does not depend on the thread count.
 */
public final class ColumnSums {

    private static final int BLOCK = 64;

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
        int blocks = (rows + BLOCK - 1) / BLOCK;
        double[][] partial = new double[blocks][cols];
        HostThreads.forRange(blocks, 1, (firstBlock, lastBlock) -> {
            double[] row = new double[cols];
            float[] staging = new float[cols];
            for (int block = firstBlock; block < lastBlock; block++) {
                double[] acc = partial[block];
                for (int r = block * BLOCK; r < Math.min(rows, (block + 1) * BLOCK); r++) {
                    if (source.isFloat()) {
                        source.readFloats(r * cols, staging, cols);      // widened exactly as it is added
                        for (int k = 0; k < cols; k++) {
                            acc[k] += staging[k];
                        }
                    } else {
                        source.read(r * cols, row, cols, staging);
                        for (int k = 0; k < cols; k++) {
                            acc[k] += row[k];
                        }
                    }
                }
            }
        });
        double[] total = new double[cols];
        for (double[] acc : partial) {
            for (int k = 0; k < cols; k++) {
                total[k] += acc[k];
            }
        }
        double[] row = new double[cols];
        float[] staging = new float[cols];
        target.read(0, row, cols, staging);
        for (int k = 0; k < cols; k++) {
            row[k] += total[k];
        }
        target.write(0, row, cols, staging);
    }
}
