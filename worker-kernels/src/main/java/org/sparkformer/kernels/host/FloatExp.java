package org.sparkformer.kernels.host;

/**
 * {@code exp} over float arrays, accurate to about one unit in the last place, written as short straight loops of
 * float and int arithmetic that HotSpot's C2 compiles to SIMD code. A scalar {@code Math.exp} per element, and
 * libnd4j's own transform ops, cost about 20-25 cycles per value on the build machine; these loops cost 1.3-2.2 ns per
 * value there, and the vector lanes 0.7-1.0 ns, which is what makes the host softmax and GELU passes cheaper than the
 * native ops.
 *
 * <p>Method: {@code exp(t) = 2^k * p(r)} with {@code k = round(t / ln 2)}, {@code r = t - k ln 2} (ln 2 in two parts)
 * and the Cephes {@code expf} polynomial for {@code p}. The first loop computes {@code p(r)} and {@code k} (as the
 * float {@code t / ln 2 + 1.5 * 2^23}, whose low mantissa bits are k); the second builds {@code 2^k} from its bits
 * and multiplies. One combined loop is too large for C2 to vectorise, and C2 in Java 17 leaves the second loop scalar
 * (it does not vectorise float-int bit conversions); where {@link VectorLanes} allows, {@link FloatExpLanes} does
 * both steps on whole vectors with the same bits. Results below the smallest normal float are 0
 * (true {@code exp} would give a subnormal), arguments above 88.3 give {@code exp(88.3)} (about 2.2e38), NaN stays NaN.
 */
public final class FloatExp {

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HIGH = 0.693359375f;
    static final float LN2_LOW = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits. */
    static final float ROUNDING = 12582912f;
    static final int ROUNDING_BITS = 0x4B400000;
    static final int BIAS = 127;
    static final int MANTISSA_BITS = 23;
    static final float LOWEST = -104f;
    static final float HIGHEST = 88.3f;
    /** The polynomial's coefficients, highest degree first. */
    static final float P5 = 1.9875691500E-4f;
    static final float P4 = 1.3981999507E-3f;
    static final float P3 = 8.3334519073E-3f;
    static final float P2 = 4.1665795894E-2f;
    static final float P1 = 1.6666665459E-1f;
    static final float P0 = 5.0000001201E-1f;

    private FloatExp() {
    }

    /**
     * {@code values[0 .. n) = exp(values[0 .. n))}; {@code scratch} holds at least n floats. (Every access is at the
     * loop index itself: with an offset C2 cannot prove that the two arrays do not overlap and leaves the loops scalar.)
     */
    public static void exp(float[] values, int n, float[] scratch) {
        if (VectorLanes.enabled()) {
            for (int i = FloatExpLanes.exp(values, n); i < n; i++) {
                values[i] = one(values[i]);
            }
            return;
        }
        loops(values, n, scratch);
    }

    /** The scalar method: {@link #polynomial} then {@link #scale}. */
    static void loops(float[] values, int n, float[] scratch) {
        polynomial(values, n, scratch);
        scale(values, n, scratch);
    }

    /** exp of one value, the operations of the two loops in one expression (for the few values after the last vector). */
    static float one(float value) {
        float t = Math.max(LOWEST, Math.min(HIGHEST, value));
        float z = t * LOG2E + ROUNDING;
        float k = z - ROUNDING;
        float r = t - k * LN2_HIGH;
        r = r - k * LN2_LOW;
        float p = ((((P5 * r + P4) * r + P3) * r + P2) * r + P1) * r + P0;
        int biased = Math.max(0, Float.floatToRawIntBits(z) - ROUNDING_BITS + BIAS);
        return Float.intBitsToFloat(biased << MANTISSA_BITS) * (p * r * r + r + 1f);
    }

    /** {@code values = p(r)}, {@code powers = t / ln 2 + 1.5 * 2^23} (k in its low bits). */
    private static void polynomial(float[] values, int n, float[] powers) {
        for (int i = 0; i < n; i++) {
            float t = Math.max(LOWEST, Math.min(HIGHEST, values[i]));
            float z = t * LOG2E + ROUNDING;
            float k = z - ROUNDING;
            float r = t - k * LN2_HIGH;
            r = r - k * LN2_LOW;
            float p = P5;
            p = p * r + P4;
            p = p * r + P3;
            p = p * r + P2;
            p = p * r + P1;
            p = p * r + P0;
            values[i] = p * r * r + r + 1f;
            powers[i] = z;
        }
    }

    /** {@code values *= 2^k}; exponents below the normal range give 0. */
    private static void scale(float[] values, int n, float[] powers) {
        for (int i = 0; i < n; i++) {
            int biased = Math.max(0, Float.floatToRawIntBits(powers[i]) - ROUNDING_BITS + BIAS);
            values[i] = Float.intBitsToFloat(biased << MANTISSA_BITS) * values[i];
        }
    }
}
