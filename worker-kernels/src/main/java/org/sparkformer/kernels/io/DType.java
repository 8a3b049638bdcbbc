package org.sparkformer.kernels.io;

import java.util.Arrays;
import java.util.Optional;

/** Element types this project stores in safetensors files, with their on-disk names and sizes. */
public enum DType {
    F32(4),
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The dtype written in a header as {@code name}, if this project supports it. */
    public static Optional<DType> fromHeaderName(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }
}
