package org.sparkformer.kernels.compress;

/**
 * Symmetric int8 quantization of a row-major {@code [rows, cols]} matrix, one scale per row: {@code scale_r =
 * max_c |w_rc| / 127} and {@code q_rc = round(w_rc / scale_r)} in [-127, 127], so {@code q_rc * scale_r} is within
 * half a step ({@code scale_r / 2}) of {@code w_rc}. A row of zeros has scale 0. For a linear layer's {@code [out,
 * in]} weight a row is an output channel; for an embedding table it is one token's vector.
 *
 * @param values the int8 values, row-major
 * @param scales one scale per row
 */
public record Int8Rows(byte[] values, float[] scales) {

    /** Largest magnitude of a quantized value. */
    public static final int LEVELS = 127;

    public static Int8Rows quantize(float[] w, int rows, int cols) {
        if ((long) rows * cols != w.length) {
            throw new IllegalArgumentException(w.length + " values do not form a [" + rows + ", " + cols + "] matrix");
        }
        byte[] q = new byte[w.length];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            int start = r * cols;
            float max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(w[start + c]));
            }
            float scale = max / LEVELS;
            scales[r] = scale;
            if (scale == 0) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                int level = Math.round(w[start + c] / scale);
                q[start + c] = (byte) Math.max(-LEVELS, Math.min(LEVELS, level));
            }
        }
        return new Int8Rows(q, scales);
    }

    /** {@code q_rc * scale_r} for every value. */
    public float[] dequantize() {
        int rows = scales.length;
        int cols = rows == 0 ? 0 : values.length / rows;
        float[] w = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w[r * cols + c] = values[r * cols + c] * scales[r];
            }
        }
        return w;
    }
}
