package org.sparkformer.kernels.io;

/**
 * The two 16-bit float formats, converted to and from float with round-to-nearest-even: IEEE 754 binary16 (F16: 5
 * exponent bits, 10 mantissa bits, largest finite value 65504) and bfloat16 (BF16: the upper half of a float, 8
 * exponent bits, 7 mantissa bits).
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** The value {@code x} becomes when stored as {@code dtype} (F16 or BF16) and read back. */
    public static float round(float x, DType dtype) {
        return switch (dtype) {
            case F16 -> fromF16(toF16(x));
            case BF16 -> fromBf16(toBf16(x));
            default -> throw new IllegalArgumentException("not a 16-bit float type: " + dtype);
        };
    }

    /** The bits of {@code x} as bfloat16, rounded to nearest even; NaN stays NaN. */
    public static short toBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    public static float fromBf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The bits of {@code x} as binary16, rounded to nearest even; beyond 65504 (after rounding) it is infinite. */
    public static short toF16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {                                  // infinity or NaN
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;                             // the half's biased exponent
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {                                            // subnormal half, or zero
            if (e < -10) {
                return (short) sign;
            }
            int m = mantissa | 0x800000;                         // the implicit leading one
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;                                              // may carry into the exponent, up to infinity
        }
        return (short) (sign | half);
    }

    public static float fromF16(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;               // subnormal: mantissa * 2^-24
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
