package org.sparkformer.kernels.compress;

/**
 * The sparse layout of a tensor: one bit per element, least significant bit first ({@code bit i = (mask[i / 8] >> (i
 * % 8)) & 1}), set where the element is stored, and the stored elements packed in order. Bits past the last element
 * are zero.
 */
public final class Bitmask {

    private Bitmask() {
    }

    /** Bytes of the mask of {@code elements} elements. */
    public static int bytes(long elements) {
        return (int) ((elements + 7) / 8);
    }

    /** The mask with a bit set for every index where {@code kept} says so. */
    public static byte[] of(int elements, java.util.function.IntPredicate kept) {
        byte[] mask = new byte[bytes(elements)];
        for (int i = 0; i < elements; i++) {
            if (kept.test(i)) {
                mask[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return mask;
    }

    public static boolean isSet(byte[] mask, int i) {
        return ((mask[i >>> 3] >>> (i & 7)) & 1) != 0;
    }

    /** Number of set bits. */
    public static int count(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += Integer.bitCount(b & 0xFF);
        }
        return n;
    }

    /** Whether any bit at index {@code elements} or later is set. */
    public static boolean hasBitsPast(byte[] mask, int elements) {
        for (int i = elements; i < mask.length * 8; i++) {
            if (isSet(mask, i)) {
                return true;
            }
        }
        return false;
    }
}
