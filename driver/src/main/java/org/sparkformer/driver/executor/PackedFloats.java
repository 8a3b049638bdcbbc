package org.sparkformer.driver.executor;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Float arrays packed into one little-endian byte array: the form in which a round moves parameters and optimizer
 * state, to the executors (the broadcast) and back (each partition's result). A serializer writes a byte array as one
 * bulk copy, while Java serialization of a {@code float[]} converts it value by value; for the 64 MB of the reference
 * model that is about four times the time, paid on both ends of both transfers. Packing and unpacking are bulk
 * copies. A plain class with one byte array, so Kryo can carry it as well.
 *
 * <p>Layout: the number of arrays, each array's length (ints), then the arrays' values one after the other, all
 * little-endian.
 */
public final class PackedFloats implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Floats decoded at a time when a caller reads an array in chunks. */
    public static final int CHUNK = 16384;

    private final byte[] bytes;

    private PackedFloats(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Packs {@code arrays} in order; each may be empty. */
    public static PackedFloats of(float[]... arrays) {
        int[] lengths = new int[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            lengths[i] = arrays[i].length;
        }
        byte[] bytes = layout(lengths);
        FloatBuffer floats = order(bytes).position(valuesOffset(arrays.length)).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        for (float[] a : arrays) {
            floats.put(a);
        }
        return new PackedFloats(bytes);
    }

    /**
     * The bytes of a packing of arrays of the given lengths, with the count and lengths written and every value 0,
     * for a reader that fills the values from {@link #valuesOffset} on and then {@link #wrap}s them.
     */
    public static byte[] layout(int... lengths) {
        long values = 0;
        for (int length : lengths) {
            values += length;
        }
        long size = valuesOffset(lengths.length) + 4L * values;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(values + " floats do not fit in one packed array (at most about 512M)");
        }
        byte[] bytes = new byte[(int) size];
        ByteBuffer buffer = order(bytes);
        buffer.putInt(lengths.length);
        for (int length : lengths) {
            buffer.putInt(length);
        }
        return bytes;
    }

    /** Where the values start in a packing of {@code count} arrays. */
    public static int valuesOffset(int count) {
        return 4 * (1 + count);
    }

    /** The packing whose bytes are {@code bytes} (from {@link #layout}, values filled in); not copied. */
    public static PackedFloats wrap(byte[] bytes) {
        return new PackedFloats(bytes);
    }

    /** Number of arrays packed. */
    public int count() {
        return order(bytes).getInt(0);
    }

    /** Length of array {@code index}. */
    public int length(int index) {
        return order(bytes).getInt(4 * (1 + checkIndex(index)));
    }

    /** A fresh copy of array {@code index}. */
    public float[] unpack(int index) {
        float[] out = new float[length(index)];
        view(index).get(out);
        return out;
    }

    /**
     * Reads array {@code index} in order, {@link #CHUNK} values at a time, without unpacking it whole.
     * {@code chunk} gets the values {@code [offset, offset + n)} in its first {@code n} slots.
     */
    public void forEachChunk(int index, ChunkReader reader) {
        forEachChunk(index, 0, length(index), reader);
    }

    /** As {@link #forEachChunk(int, ChunkReader)}, for the values {@code [from, to)} of array {@code index} only. */
    public void forEachChunk(int index, int from, int to, ChunkReader reader) {
        FloatBuffer values = view(index);
        if (from < 0 || to > values.limit() || from > to) {
            throw new IndexOutOfBoundsException("values [" + from + ", " + to + ") of an array of " + values.limit());
        }
        values.position(from).limit(to);
        float[] chunk = new float[Math.min(CHUNK, values.remaining())];
        for (int offset = from; values.hasRemaining(); ) {
            int n = Math.min(chunk.length, values.remaining());
            values.get(chunk, 0, n);
            reader.read(chunk, offset, n);
            offset += n;
        }
    }

    /** Receives consecutive chunks of one packed array. */
    @FunctionalInterface
    public interface ChunkReader {
        void read(float[] chunk, int offset, int n);
    }

    private FloatBuffer view(int index) {
        int start = valuesOffset(count());
        for (int i = 0; i < checkIndex(index); i++) {
            start += 4 * length(i);
        }
        return order(bytes).position(start).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().limit(length(index));
    }

    private int checkIndex(int index) {
        int count = count();
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("array " + index + " of " + count + " packed");
        }
        return index;
    }

    private static ByteBuffer order(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
