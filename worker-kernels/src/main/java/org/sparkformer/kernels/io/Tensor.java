package org.sparkformer.kernels.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor as stored in a safetensors file: a shape and row-major data, either 32-bit
 * ({@link #data()}) or 64-bit ({@link #data64()}) floating point. Exactly one of the two arrays is
 * present, matching {@link #dtype()}.
 */
public record Tensor(String name, DType dtype, long[] shape, float[] data, double[] data64) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        long elements = elementCount(shape);
        long actual;
        if (dtype == DType.F32) {
            if (data == null || data64 != null) {
                throw new IllegalArgumentException("F32 tensor " + name + " needs float data only");
            }
            actual = data.length;
        } else {
            if (data64 == null || data != null) {
                throw new IllegalArgumentException("F64 tensor " + name + " needs double data only");
            }
            actual = data64.length;
        }
        if (actual != elements) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + " (" + elements + " elements) but " + actual + " values");
        }
    }

    /** A 32-bit tensor. */
    public Tensor(String name, long[] shape, float[] data) {
        this(name, DType.F32, shape, data, null);
    }

    /** A 64-bit tensor. */
    public static Tensor f64(String name, long[] shape, double[] data) {
        return new Tensor(name, DType.F64, shape, null, data);
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

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data) && Arrays.equals(data64, t.data64);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(data), Arrays.hashCode(data64));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
    }
}
