package org.sparkformer.kernels.compress;

import org.sparkformer.kernels.io.DType;
import org.sparkformer.kernels.io.HalfFloats;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How one weight matrix {@code W [rows, cols]} is stored, and the tensors that hold it:
 * <pre>
 *   dense   W [rows, cols] in the format's dtype               (+ W.scale F32 [rows] for int8)
 *   bitmask W.mask U8 [ceil(rows*cols / 8)], W [nonzeros]     (+ W.scale F32 [rows] for int8)
 * </pre>
 * The bitmask layout ({@link Bitmask}) keeps only the elements that are not zero after conversion to the format,
 * so a sparse matrix takes a bit per element plus its nonzero values.
 *
 * @param format how each value is stored
 * @param sparse whether the bitmask layout is used
 * @param shape  the matrix's shape {@code [rows, cols]}
 */
public record StoredWeight(WeightFormat format, boolean sparse, long[] shape) {

    /** Suffix of the tensor holding an int8 matrix's row scales. */
    public static final String SCALE = ".scale";
    /** Suffix of the tensor holding a sparse matrix's bitmask. */
    public static final String MASK = ".mask";

    public StoredWeight {
        shape = shape.clone();
        if (shape.length != 2) {
            throw new IllegalArgumentException("a stored weight is a matrix, got shape " + Arrays.toString(shape));
        }
        if (Tensor.elementCount(shape) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is more than one array holds");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    private int rows() {
        return (int) shape[0];
    }

    private int cols() {
        return (int) shape[1];
    }

    private int elements() {
        return rows() * cols();
    }

    /**
     * The layout of {@code format} that takes fewer bytes for {@code values}: bitmask when at least about one value
     * in 8 per byte of the format is zero after conversion, dense otherwise.
     */
    public static StoredWeight smaller(WeightFormat format, long[] shape, float[] values) {
        StoredWeight dense = new StoredWeight(format, false, shape);
        StoredWeight sparse = new StoredWeight(format, true, shape);
        int nonzero = dense.nonzeros(values);
        return sparse.bytes(nonzero) < dense.bytes(nonzero) ? sparse : dense;
    }

    /** Elements of {@code values} that stay nonzero in this format. */
    public int nonzeros(float[] values) {
        float[] converted = converted(values);
        int n = 0;
        for (float v : converted) {
            n += v != 0 ? 1 : 0;
        }
        return n;
    }

    /** Bytes of data this matrix takes with {@code nonzeros} nonzero elements. */
    public long bytes(long nonzeros) {
        long scales = format == WeightFormat.INT8 ? 4L * rows() : 0;
        long values = (sparse ? nonzeros : elements()) * (long) format.valueType().bytes();
        return (sparse ? Bitmask.bytes(elements()) : 0) + values + scales;
    }

    /** The values as they read back: rounded to the format (int8: quantized and dequantized). */
    public float[] converted(float[] values) {
        requireLength(values);
        return switch (format) {
            case F32 -> values.clone();
            case F16, BF16 -> {
                float[] out = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    out[i] = HalfFloats.round(values[i], format.valueType());
                }
                yield out;
            }
            case INT8 -> Int8Rows.quantize(values, rows(), cols()).dequantize();
        };
    }

    /** The tensors that store {@code values} under {@code name}. */
    public List<Tensor> encode(String name, float[] values) {
        requireLength(values);
        List<Tensor> out = new ArrayList<>(3);
        long[] valueShape = shape;
        if (format == WeightFormat.INT8) {
            Int8Rows q = Int8Rows.quantize(values, rows(), cols());
            byte[] stored = q.values();
            if (sparse) {
                byte[] mask = Bitmask.of(elements(), i -> q.values()[i] != 0);
                out.add(Tensor.u8(name + MASK, new long[]{mask.length}, mask));
                stored = packBytes(q.values(), mask);
                valueShape = new long[]{stored.length};
            }
            out.add(Tensor.i8(name, valueShape, stored));
            out.add(new Tensor(name + SCALE, new long[]{rows()}, q.scales()));
            return out;
        }
        float[] stored = converted(values);
        if (sparse) {
            float[] all = stored;
            byte[] mask = Bitmask.of(elements(), i -> all[i] != 0);
            out.add(Tensor.u8(name + MASK, new long[]{mask.length}, mask));
            stored = packFloats(all, mask);
            valueShape = new long[]{stored.length};
        }
        out.add(new Tensor(name, format.valueType(), valueShape, stored, null));
        return out;
    }

    /** Names of the tensors {@link #encode} writes for {@code name}. */
    public List<String> tensorNames(String name) {
        List<String> names = new ArrayList<>(3);
        if (sparse) {
            names.add(name + MASK);
        }
        names.add(name);
        if (format == WeightFormat.INT8) {
            names.add(name + SCALE);
        }
        return names;
    }

    /**
     * The matrix {@code name} from its stored tensors, as float32 values.
     *
     * @param source names the file in every error
     * @throws ModelFileException naming the tensor when one is missing or has the wrong dtype, shape or contents
     */
    public float[] decode(String name, Map<String, Tensor> stored, String source) throws ModelFileException {
        String where = source + ": tensor " + name;
        byte[] mask = null;
        int count = elements();
        if (sparse) {
            Tensor m = require(stored, name + MASK, DType.U8, new long[]{Bitmask.bytes(elements())}, source,
                    "one bit per element of " + name + " " + Arrays.toString(shape));
            mask = m.bytes();
            if (Bitmask.hasBitsPast(mask, elements())) {
                throw new ModelFileException(source + ": tensor " + name + MASK + " sets bits past the " + elements()
                        + " elements of " + name);
            }
            count = Bitmask.count(mask);
        }
        long[] valueShape = sparse ? new long[]{count} : shape;
        String valueRole = sparse ? "one value per bit set in " + name + MASK
                : "the values of " + name + " " + Arrays.toString(shape) + " in " + format.id();
        Tensor values = require(stored, name, format.valueType(), valueShape, source, valueRole);
        if (format == WeightFormat.INT8) {
            Tensor scales = require(stored, name + SCALE, DType.F32, new long[]{rows()}, source,
                    "one scale per row of " + name + " " + Arrays.toString(shape));
            for (int r = 0; r < rows(); r++) {
                if (scales.data()[r] < 0) {
                    throw new ModelFileException(source + ": tensor " + name + SCALE + " holds the negative scale "
                            + scales.data()[r] + " at row " + r);
                }
            }
            byte[] q = sparse ? unpackBytes(values.bytes(), mask, elements()) : values.bytes();
            return new Int8Rows(q, scales.data()).dequantize();
        }
        return sparse ? unpackFloats(values.data(), mask, elements()) : values.data().clone();
    }

    private static Tensor require(Map<String, Tensor> stored, String name, DType dtype, long[] shape, String source,
                                  String role) throws ModelFileException {
        Tensor t = stored.get(name);
        if (t == null) {
            throw new ModelFileException(source + ": tensor " + name + " is missing (" + role + ")");
        }
        if (t.dtype() != dtype) {
            throw new ModelFileException(source + ": tensor " + name + " is " + t.dtype() + ", expected " + dtype
                    + " (" + role + ")");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFileException(source + ": tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape) + " (" + role + ")");
        }
        return t;
    }

    private void requireLength(float[] values) {
        if (values.length != elements()) {
            throw new IllegalArgumentException(values.length + " values for a matrix of shape " + Arrays.toString(shape));
        }
    }

    private static byte[] packBytes(byte[] all, byte[] mask) {
        byte[] packed = new byte[Bitmask.count(mask)];
        int at = 0;
        for (int i = 0; i < all.length; i++) {
            if (Bitmask.isSet(mask, i)) {
                packed[at++] = all[i];
            }
        }
        return packed;
    }

    private static float[] packFloats(float[] all, byte[] mask) {
        float[] packed = new float[Bitmask.count(mask)];
        int at = 0;
        for (int i = 0; i < all.length; i++) {
            if (Bitmask.isSet(mask, i)) {
                packed[at++] = all[i];
            }
        }
        return packed;
    }

    private static byte[] unpackBytes(byte[] packed, byte[] mask, int elements) {
        byte[] all = new byte[elements];
        int at = 0;
        for (int i = 0; i < elements; i++) {
            if (Bitmask.isSet(mask, i)) {
                all[i] = packed[at++];
            }
        }
        return all;
    }

    private static float[] unpackFloats(float[] packed, byte[] mask, int elements) {
        float[] all = new float[elements];
        int at = 0;
        for (int i = 0; i < elements; i++) {
            if (Bitmask.isSet(mask, i)) {
                all[i] = packed[at++];
            }
        }
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredWeight s && format == s.format && sparse == s.sparse && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * format.hashCode() + Boolean.hashCode(sparse)) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return format.id() + (sparse ? " bitmask " : " dense ") + Arrays.toString(shape);
    }
}
