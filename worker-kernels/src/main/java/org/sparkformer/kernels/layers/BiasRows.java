package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prefills every row of an output with a bias vector, so that a following gemm with {@code beta = 1} adds the
 * product onto it: one bulk copy per row (split over {@link HostThreads}) instead of a separate broadcast add that
 * reads and writes the whole output again.
 */
public final class BiasRows {

    private BiasRows() {
    }

    /** {@code out[r, :] = bias} for every row of the contiguous c-order {@code out[rows, cols]}. */
    public static void fill(INDArray out, INDArray bias) {
        int rows = Math.toIntExact(out.rows());
        int cols = Math.toIntExact(out.columns());
        if (bias.length() != cols) {
            throw new IllegalArgumentException("bias has " + bias.length() + " values for " + cols + " columns");
        }
        HostArray target = HostArray.of(out);
        HostArray source = HostArray.of(bias);
        double[] row = new double[cols];
        float[] values = new float[cols];
        if (target.isFloat() && source.isFloat()) {
            source.readFloats(0, values, cols);
        } else {
            source.read(0, row, cols, new float[cols]);
        }
        HostThreads.forRange(rows, 64, (first, last) -> {
            float[] staging = new float[cols];
            for (int r = first; r < last; r++) {
                if (target.isFloat() && source.isFloat()) {
                    target.writeFloats(r * cols, values, cols);
                } else {
                    target.write(r * cols, row, cols, staging);
                }
            }
        });
    }
}
