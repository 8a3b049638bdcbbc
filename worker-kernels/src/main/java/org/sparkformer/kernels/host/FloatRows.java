package org.sparkformer.kernels.host;

/**
 * Reductions over a segment of a float row for the host softmax and LayerNorm passes, with interleaved accumulators
 * (combined in a fixed order, so results do not depend on anything but the values) instead of one long chain of
 * dependent operations: four for the maximum, eight for the double sums, whose additions wait on each other longest
 * (eight halve the time of four on the build machine).
 */
public final class FloatRows {

    private FloatRows() {
    }

    /** The largest of {@code values[at .. at+n)}, n > 0 (a NaN, if any, reaches the softmax through the subtraction that follows). */
    public static float max(float[] values, int at, int n) {
        float m0 = values[at];
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        int j = at;
        for (; j + 3 < at + n; j += 4) {
            m0 = values[j] > m0 ? values[j] : m0;
            m1 = values[j + 1] > m1 ? values[j + 1] : m1;
            m2 = values[j + 2] > m2 ? values[j + 2] : m2;
            m3 = values[j + 3] > m3 ? values[j + 3] : m3;
        }
        for (; j < at + n; j++) {
            m0 = values[j] > m0 ? values[j] : m0;
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** {@code Σ values[at .. at+n)} in double. */
    public static double sum(float[] values, int at, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int j = at;
        for (; j + 7 < at + n; j += 8) {
            s0 += values[j];
            s1 += values[j + 1];
            s2 += values[j + 2];
            s3 += values[j + 3];
            s4 += values[j + 4];
            s5 += values[j + 5];
            s6 += values[j + 6];
            s7 += values[j + 7];
        }
        for (; j < at + n; j++) {
            s0 += values[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@code Σ a[k] * b[k]} over {@code [0, n)}, each product and the sums in double. */
    public static double dot(float[] a, float[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int k = 0;
        for (; k + 7 < n; k += 8) {
            s0 += (double) a[k] * b[k];
            s1 += (double) a[k + 1] * b[k + 1];
            s2 += (double) a[k + 2] * b[k + 2];
            s3 += (double) a[k + 3] * b[k + 3];
            s4 += (double) a[k + 4] * b[k + 4];
            s5 += (double) a[k + 5] * b[k + 5];
            s6 += (double) a[k + 6] * b[k + 6];
            s7 += (double) a[k + 7] * b[k + 7];
        }
        for (; k < n; k++) {
            s0 += (double) a[k] * b[k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
