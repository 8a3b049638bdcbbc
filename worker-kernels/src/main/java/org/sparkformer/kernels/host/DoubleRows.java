package org.sparkformer.kernels.host;

/**
 * Reductions over a double row for the host LayerNorm passes, with four interleaved accumulators combined in a
 * fixed order (so results depend on nothing but the values): a single running sum is one chain of dependent
 * additions, four times slower than the loads that feed it.
 */
public final class DoubleRows {

    private DoubleRows() {
    }

    /** {@code Σ values[0 .. n)}. */
    public static double sum(double[] values, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += values[k];
            s1 += values[k + 1];
            s2 += values[k + 2];
            s3 += values[k + 3];
        }
        for (; k < n; k++) {
            s0 += values[k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code Σ a[k] * b[k]} over {@code [0, n)}. */
    public static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[k] * b[k];
            s1 += a[k + 1] * b[k + 1];
            s2 += a[k + 2] * b[k + 2];
            s3 += a[k + 3] * b[k + 3];
        }
        for (; k < n; k++) {
            s0 += a[k] * b[k];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
