package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Named activation and scratch buffers for one batch shape, created on first use and reused by every later
 * step of that shape, so the hot loop allocates nothing. Keys are owned by layers ("blocks.0.attention.probs");
 * keys without a layer prefix are scratch shared by all layers of a kind and only live within one call.
 */
public final class Workspace {

    private final DataType dataType;
    private final Map<String, INDArray> buffers = new HashMap<>();

    public Workspace(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** A c-order buffer of exactly {@code shape}. */
    public INDArray array(String key, long... shape) {
        INDArray a = buffers.get(key);
        if (a == null) {
            a = Nd4j.zeros(dataType, shape);
            buffers.put(key, a);
        } else if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalStateException("buffer " + key + " has shape " + Arrays.toString(a.shape())
                    + ", asked for " + Arrays.toString(shape));
        }
        return a;
    }

    /**
     * A c-order {@code [rows, cols]} view onto the first rows of a buffer that grows as needed, for shapes that
     * vary between steps (such as the number of labelled positions).
     */
    public INDArray rows(String key, long rows, long cols) {
        INDArray a = buffers.get(key);
        if (a == null || a.rows() < rows || a.columns() != cols) {
            long capacity = a == null || a.columns() != cols ? rows : Math.max(rows, a.rows() + a.rows() / 4);
            a = Nd4j.zeros(dataType, capacity, cols);
            buffers.put(key, a);
        }
        return a.rows() == rows ? a : a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
    }

    /** Bytes held by all buffers. */
    public long bytes() {
        return buffers.values().stream().mapToLong(a -> a.length() * a.dataType().width()).sum();
    }
}
