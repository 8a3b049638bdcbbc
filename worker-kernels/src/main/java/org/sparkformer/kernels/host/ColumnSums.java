package org.sparkformer.kernels.host;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Column sums of a c-order {@code [rows, cols]} array added into a vector (bias and position gradients), as one
 * pass over host memory: a BLAS product with a column of ones was several times slower. Rows are summed per block of
 * {@value #BLOCK} over {@link HostThreads} (in float within a block for float arrays) and the block sums added in
 * double, in block order, so the result does not depend on the thread count.
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
            if (source.isFloat()) {
                floatBlocks(source, rows, cols, partial, firstBlock, lastBlock);
            } else {
                doubleBlocks(source, rows, cols, partial, firstBlock, lastBlock);
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

    /**
     * Float rows: each block's rows are summed in a float accumulator (a loop C2 vectorises; widening every value to
     * double as it is added kept the loop scalar) and the block sum is widened into {@code partial[block]}.
     */
    private static void floatBlocks(HostArray source, int rows, int cols, double[][] partial, int firstBlock, int lastBlock) {
        float[] row = new float[cols];
        float[] acc = new float[cols];
        for (int block = firstBlock; block < lastBlock; block++) {
            java.util.Arrays.fill(acc, 0f);
            for (int r = block * BLOCK; r < Math.min(rows, (block + 1) * BLOCK); r++) {
                source.readFloats(r * cols, row, cols);
                for (int k = 0; k < cols; k++) {
                    acc[k] += row[k];
                }
            }
            double[] sums = partial[block];
            for (int k = 0; k < cols; k++) {
                sums[k] = acc[k];
            }
        }
    }

    /** Double rows: summed into {@code partial[block]} directly. */
    private static void doubleBlocks(HostArray source, int rows, int cols, double[][] partial, int firstBlock, int lastBlock) {
        double[] row = new double[cols];
        float[] staging = new float[cols];
        for (int block = firstBlock; block < lastBlock; block++) {
            double[] acc = partial[block];
            for (int r = block * BLOCK; r < Math.min(rows, (block + 1) * BLOCK); r++) {
                source.read(r * cols, row, cols, staging);
                for (int k = 0; k < cols; k++) {
                    acc[k] += row[k];
                }
            }
        }
    }
}
