package org.sparkformer.kernels.compress;

import org.sparkformer.kernels.io.DType;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the values of a weight matrix are stored: as floats of 32 or 16 bits, or as int8 with one scale per row. */
public enum WeightFormat {
    /** Full precision, as trained. */
    F32("fp32", DType.F32),
    /** IEEE binary16, rounded to nearest. */
    F16("fp16", DType.F16),
    /** bfloat16 (the upper half of a float), rounded to nearest. */
    BF16("bf16", DType.BF16),
    /** Symmetric int8 per row ({@link Int8Rows}): per output channel of a linear layer, per row of an embedding. */
    INT8("int8", DType.I8);

    private final String id;
    private final DType valueType;

    WeightFormat(String id, DType valueType) {
        this.id = id;
        this.valueType = valueType;
    }

    /** The safetensors dtype of the stored values. */
    public DType valueType() {
        return valueType;
    }

    /** The name in configuration files and on the command line: fp32, fp16, bf16 or int8. */
    public String id() {
        return id;
    }

    /** The format named {@code id}; an error listing the supported names otherwise. */
    public static WeightFormat parse(String id) {
        for (WeightFormat f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown weight format '" + id + "' (supported: " + supported() + ")");
    }

    /** The supported names, comma separated. */
    public static String supported() {
        return Arrays.stream(values()).map(WeightFormat::id).collect(Collectors.joining(", "));
    }
}
