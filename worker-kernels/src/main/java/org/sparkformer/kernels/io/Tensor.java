package org.sparkformer.kernels.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor as stored in a safetensors file: a shape and row-major data. Exactly one array holds the values,
 * chosen by {@link #dtype()}: {@link #data()} for F32, F16 and BF16 (a 16-bit tensor's floats are exactly
 * representable in its type: {@link #f16} and {@link #bf16} round them), {@link #data64()} for F64, and
 * {@link #bytes()} for I8 and U8.
 */
public record Tensor(String name, DType dtype, long[] shape, float[] data, double[] data64, byte[] bytes) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        long elements = elementCount(shape);
        boolean floats = data != null;
        boolean doubles = data64 != null;
        boolean raw = bytes != null;
        if (floats != dtype.holdsFloats() || doubles != (dtype == DType.F64) || raw != dtype.holdsBytes()) {
            throw new IllegalArgumentException(dtype + " tensor " + name + " needs "
                    + (dtype.holdsFloats() ? "float" : dtype == DType.F64 ? "double" : "byte") + " data only");
        }
        long actual = floats ? data.length : doubles ? data64.length : bytes.length;
        if (actual != elements) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + " (" + elements + " elements) but " + actual + " values");
        }
    }

    /** A tensor of float, double or byte values, as {@code dtype} requires. */
    public Tensor(String name, DType dtype, long[] shape, float[] data, double[] data64) {
        this(name, dtype, shape, data, data64, null);
    }

    /** A 32-bit tensor. */
    public Tensor(String name, long[] shape, float[] data) {
        this(name, DType.F32, shape, data, null, null);
    }

    /** A 64-bit tensor. */
    public static Tensor f64(String name, long[] shape, double[] data) {
        return new Tensor(name, DType.F64, shape, null, data, null);
    }

    /** A binary16 tensor of {@code data} rounded to nearest (values beyond 65504 become infinite). */
    public static Tensor f16(String name, long[] shape, float[] data) {
        return new Tensor(name, DType.F16, shape, rounded(data, DType.F16), null, null);
    }

    /** A bfloat16 tensor of {@code data} rounded to nearest. */
    public static Tensor bf16(String name, long[] shape, float[] data) {
        return new Tensor(name, DType.BF16, shape, rounded(data, DType.BF16), null, null);
    }

    /** A tensor of signed bytes. */
    public static Tensor i8(String name, long[] shape, byte[] bytes) {
        return new Tensor(name, DType.I8, shape, null, null, bytes);
    }

    /** A tensor of unsigned bytes. */
    public static Tensor u8(String name, long[] shape, byte[] bytes) {
        return new Tensor(name, DType.U8, shape, null, null, bytes);
    }

    private static float[] rounded(float[] data, DType dtype) {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = HalfFloats.round(data[i], dtype);
        }
        return out;
    }

    /** Number of elements implied by {@code shape}; a scalar (empty shape) has one. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Number of elements. */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes of data this tensor takes in a file. */
    public long dataBytes() {
        return elementCount() * dtype.bytes();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data) && Arrays.equals(data64, t.data64) && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(data), Arrays.hashCode(data64),
                Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
    }
}
