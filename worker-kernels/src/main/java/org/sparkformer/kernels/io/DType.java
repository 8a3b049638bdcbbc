package org.sparkformer.kernels.io;

import java.util.Arrays;
import java.util.Optional;

/**
 * Element types this project stores in safetensors files, with their on-disk names and sizes. F32 and F64 hold
 * parameters and optimizer state; F16 and BF16 hold weights stored at half width; I8 holds quantized weights and
 * U8 raw bytes (such as the bitmask of a sparse tensor).
 */
public enum DType {
    F32(4),
    F64(8),
    F16(2),
    BF16(2),
    I8(1),
    U8(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether a {@link Tensor} of this type holds its values as floats ({@link Tensor#data()}). */
    public boolean holdsFloats() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Whether a {@link Tensor} of this type holds its values as bytes ({@link Tensor#bytes()}). */
    public boolean holdsBytes() {
        return this == I8 || this == U8;
    }

    /** The dtype written in a header as {@code name}, if this project supports it. */
    public static Optional<DType> fromHeaderName(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }
}
