package org.sparkformer.kernels.host;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prefills every row of an output with a bias vector (plus, optionally, the residual stream the layer's output is
 * added to), so that a following gemm with {@code beta = 1} adds the product onto it: one bulk copy per row (split
 * over {@link HostThreads}) instead of a separate broadcast add, and residual add, that read and write the whole
 * output again.
 */
public final class BiasRows {

    private BiasRows() {
    }

    /** {@code out[r, :] = bias} for every row of the contiguous c-order {@code out[rows, cols]}. */
    public static void fill(INDArray out, INDArray bias) {
        fill(out, bias, null);
    }

    /**
     * {@code out[r, :] = residual[r, :] + bias} (or {@code bias} alone when residual is null) for every row of the
     * contiguous c-order {@code out[rows, cols]} and {@code residual} of the same shape: a residual stream that the
     * following gemm adds its product to.
     */
    public static void fill(INDArray out, INDArray bias, INDArray residual) {
        int rows = Math.toIntExact(out.rows());
        int cols = Math.toIntExact(out.columns());
        if (bias.length() != cols) {
            throw new IllegalArgumentException("bias has " + bias.length() + " values for " + cols + " columns");
        }
        if (residual != null && residual.length() != out.length()) {
            throw new IllegalArgumentException("residual has " + residual.length() + " values for " + rows + " x " + cols);
        }
        HostArray target = HostArray.of(out);
        HostArray source = HostArray.of(bias);
        HostArray stream = residual == null ? null : HostArray.of(residual);
        boolean floats = target.isFloat() && source.isFloat() && (stream == null || stream.isFloat());
        double[] row = new double[cols];
        float[] values = new float[cols];
        if (floats) {
            source.readFloats(0, values, cols);
        } else {
            source.read(0, row, cols, new float[cols]);
        }
        HostThreads.forRange(rows, 64, (first, last) -> {
            float[] staging = new float[cols];
            double[] wide = new double[cols];
            for (int r = first; r < last; r++) {
                if (stream == null) {
                    if (floats) {
                        target.writeFloats(r * cols, values, cols);
                    } else {
                        target.write(r * cols, row, cols, staging);
                    }
                } else if (floats) {
                    stream.readFloats(r * cols, staging, cols);
                    for (int k = 0; k < cols; k++) {
                        staging[k] += values[k];
                    }
                    target.writeFloats(r * cols, staging, cols);
                } else {
                    stream.read(r * cols, wide, cols, staging);
                    for (int k = 0; k < cols; k++) {
                        wide[k] += row[k];
                    }
                    target.write(r * cols, wide, cols, staging);
                }
            }
        });
    }
}
