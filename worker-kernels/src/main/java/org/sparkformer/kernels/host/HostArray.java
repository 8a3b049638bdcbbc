package org.sparkformer.kernels.host;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Element access from Java to the memory of a contiguous FLOAT or DOUBLE array, for the index-driven kernels
 * (embedding scatter, label lookups, dropout masks, the host passes of the layers and the optimizer) that ND4J has no
 * single op for. Indices follow memory order.
 *
 * <p>On a backend that keeps a device copy beside the host one, the host copy is brought up to date when a HostArray
 * is made, before any read, and marked as the current copy after each write, so that the next device op reads what
 * was written here instead of its own older copy. Both are no-ops on the CPU backend, where host memory is the array's
 * only copy. A HostArray reads the host copy as it was when the HostArray was made: make a new one after an ND4J op
 * on the array.
 */
public final class HostArray {

    private static final AffinityManager.Location HOST = AffinityManager.Location.HOST;

    private final INDArray array;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final int offset;
    private final int length;

    private HostArray(INDArray array) {
        if (array.length() > 1 && array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("direct access needs a contiguous array, got shape "
                    + java.util.Arrays.toString(array.shape()) + " strides " + java.util.Arrays.toString(array.stride()));
        }
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("direct access supports FLOAT and DOUBLE, got " + type);
        }
        this.array = array;
        Nd4j.getAffinityManager().ensureLocation(array, HOST);
        if (type == DataType.FLOAT) {
            floats = array.data().asNioFloat();
            doubles = null;
        } else {
            floats = null;
            doubles = array.data().asNioDouble();
        }
        offset = Math.toIntExact(array.offset());
        length = Math.toIntExact(array.length());
    }

    public static HostArray of(INDArray array) {
        return new HostArray(array);
    }

    public int length() {
        return length;
    }

    /** {@code value} rounded to this array's precision (what {@link #set} would store). */
    public double representable(double value) {
        return floats != null ? (float) value : value;
    }

    public double get(int i) {
        return floats != null ? floats.get(offset + i) : doubles.get(offset + i);
    }

    public void set(int i, double value) {
        if (floats != null) {
            floats.put(offset + i, (float) value);
        } else {
            doubles.put(offset + i, value);
        }
        wrote();
    }

    /** {@code this[to .. to+n) += scale * source[from .. from+n)}. */
    public void addScaled(int to, HostArray source, int from, int n, double scale) {
        if (floats != null && source.floats != null) {
            float s = (float) scale;
            for (int k = 0; k < n; k++) {
                int t = offset + to + k;
                floats.put(t, floats.get(t) + s * source.floats.get(source.offset + from + k));
            }
            wrote();
        } else {
            for (int k = 0; k < n; k++) {
                set(to + k, get(to + k) + scale * source.get(from + k));
            }
        }
    }

    /** Reads {@code this[from .. from+n)} into {@code row[0 .. n)}; {@code staging} holds at least n floats. */
    public void read(int from, double[] row, int n, float[] staging) {
        if (floats != null) {
            floats.get(offset + from, staging, 0, n);
            for (int k = 0; k < n; k++) {
                row[k] = staging[k];
            }
        } else {
            doubles.get(offset + from, row, 0, n);
        }
    }

    /** Writes {@code row[0 .. n)} to {@code this[to .. to+n)}; {@code staging} holds at least n floats. */
    public void write(int to, double[] row, int n, float[] staging) {
        if (floats != null) {
            for (int k = 0; k < n; k++) {
                staging[k] = (float) row[k];
            }
            floats.put(offset + to, staging, 0, n);
        } else {
            doubles.put(offset + to, row, 0, n);
        }
        wrote();
    }

    /** Whether the array holds FLOAT values (then {@link #readFloats} and {@link #writeFloats} apply). */
    public boolean isFloat() {
        return floats != null;
    }

    /** Reads {@code this[from .. from+n)} of a FLOAT array into {@code row[0 .. n)}. */
    public void readFloats(int from, float[] row, int n) {
        floats.get(offset + from, row, 0, n);
    }

    /** Writes {@code row[0 .. n)} to {@code this[to .. to+n)} of a FLOAT array. */
    public void writeFloats(int to, float[] row, int n) {
        floats.put(offset + to, row, 0, n);
        wrote();
    }

    /** {@code this[to .. to+n) = source[from .. from+n)}. */
    public void copy(int to, HostArray source, int from, int n) {
        if (floats != null && source.floats != null) {
            for (int k = 0; k < n; k++) {
                floats.put(offset + to + k, source.floats.get(source.offset + from + k));
            }
            wrote();
        } else {
            for (int k = 0; k < n; k++) {
                set(to + k, source.get(from + k));
            }
        }
    }

    /** Marks the host copy as the current one after a write (a no-op on the CPU backend). */
    private void wrote() {
        Nd4j.getAffinityManager().tagLocation(array, HOST);
    }
}
