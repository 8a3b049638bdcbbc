package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;
import org.sparkformer.kernels.random.SplitMix64;

/**
 * Inverted dropout: a mask of {@code 0} (probability p) or {@code 1/(1-p)} drawn from a counter-based stream, so
 * a mask depends only on its seed and size, never on threads or call order. Masks are drawn and applied in one
 * pass over host memory, in chunks split over {@link HostThreads}.
 */
public final class Dropout {

    private static final int CHUNK = 4096;

    private final double probability;
    /** Element i is dropped when its 53-bit draw is below this: the same test as {@code uniform(seed, i) < p}. */
    private final long dropBelow;

    public Dropout(double probability) {
        this.probability = probability;
        this.dropBelow = (long) Math.ceil(probability * 0x1.0p53);
    }

    /** Whether this dropout does anything in training mode. */
    public boolean active() {
        return probability > 0;
    }

    /**
     * Fills {@code mask} from {@code seed} and writes {@code out = source * mask} (out may be source); all contiguous,
     * same shape. {@code mask} may be null when only the dropped values are needed.
     */
    public void apply(INDArray source, INDArray mask, INDArray out, long seed) {
        run(source, mask, null, out, seed);
    }

    /**
     * Fills {@code mask} from {@code seed} and writes {@code out = residual + source * mask} in the same pass (a
     * dropped branch added to the residual stream; source is left as it is); all contiguous, same shape.
     */
    public void applyAndAdd(INDArray source, INDArray mask, INDArray residual, INDArray out, long seed) {
        run(source, mask, residual, out, seed);
    }

    /**
     * The gradient through a dropout with {@code mask}: {@code out = grad * mask} (out may be grad), one host pass in
     * chunks split over {@link HostThreads}; all contiguous, same shape and data type.
     */
    public static void backward(INDArray grad, INDArray mask, INDArray out) {
        HostArray g = HostArray.of(grad);
        HostArray m = HostArray.of(mask);
        HostArray result = out == grad ? g : HostArray.of(out);
        if (!(g.isFloat() && m.isFloat() && result.isFloat())) {
            Nd4j.exec(new MulOp(grad, mask, out));
            return;
        }
        HostThreads.forChunks(g.length(), CHUNK, 4, () -> {
            float[] values = new float[CHUNK];
            float[] scales = new float[CHUNK];
            return (from, n) -> {
                g.readFloats(from, values, n);
                m.readFloats(from, scales, n);
                for (int k = 0; k < n; k++) {
                    values[k] *= scales[k];
                }
                result.writeFloats(from, values, n);
            };
        });
    }

    private void run(INDArray source, INDArray mask, INDArray residual, INDArray out, long seed) {
        HostArray in = HostArray.of(source);
        HostArray m = mask == null ? null : HostArray.of(mask);
        HostArray result = out == source ? in : HostArray.of(out);
        HostArray add = residual == null ? null : HostArray.of(residual);
        int length = in.length();
        int chunks = (length + CHUNK - 1) / CHUNK;
        boolean floats = in.isFloat() && result.isFloat() && (m == null || m.isFloat()) && (add == null || add.isFloat());
        HostThreads.forRange(chunks, 4, (first, last) -> {
            int from = first * CHUNK;
            int to = Math.min(length, last * CHUNK);
            if (floats) {
                applyFloats(in, m, add, result, seed, from, to);
            } else {
                applyDoubles(in, m, add, result, seed, from, to);
            }
        });
    }

    /**
     * {@code dropped[k] = -1} (all bits set) when element {@code first + k} is dropped, else 0: the draws, then the
     * comparison as the sign of {@code draw - dropBelow} (both below 2^53), all in loops over 64-bit values that C2
     * compiles to SIMD code.
     */
    private void drawDropped(long seed, int first, long[] dropped, int n) {
        SplitMix64.bits53(seed, first, dropped, n);
        long below = dropBelow;
        for (int k = 0; k < n; k++) {
            dropped[k] = (dropped[k] - below) >> 63;
        }
    }

    /**
     * {@code values[k] *= mask[first + k]} for k in {@code [0, n)}, the mask values written to {@code maskValues};
     * {@code dropped} is scratch of n longs. For host passes that already hold the values in an array (the float
     * path of {@link #apply} and the attention softmax).
     */
    void dropFloats(long seed, int first, float[] values, float[] maskValues, long[] dropped, int n) {
        int keepBits = Float.floatToRawIntBits((float) (1.0 / (1.0 - probability)));
        drawDropped(seed, first, dropped, n);
        for (int k = 0; k < n; k++) {
            maskValues[k] = Float.intBitsToFloat(keepBits & ~(int) dropped[k]);    // 0 or the keep scale
        }
        for (int k = 0; k < n; k++) {
            values[k] *= maskValues[k];            // the same rounding as the array's own product
        }
    }

    private void applyFloats(HostArray in, HostArray m, HostArray add, HostArray result, long seed, int from, int to) {
        float[] values = new float[CHUNK];
        float[] maskValues = new float[CHUNK];
        float[] residual = new float[CHUNK];
        long[] dropped = new long[CHUNK];
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            in.readFloats(at, values, n);
            dropFloats(seed, at, values, maskValues, dropped, n);
            if (add != null) {
                add.readFloats(at, residual, n);
                for (int k = 0; k < n; k++) {
                    values[k] = residual[k] + values[k];
                }
            }
            if (m != null) {
                m.writeFloats(at, maskValues, n);
            }
            result.writeFloats(at, values, n);
        }
    }

    private void applyDoubles(HostArray in, HostArray m, HostArray add, HostArray result, long seed, int from, int to) {
        double keep = result.representable(1.0 / (1.0 - probability));
        double[] values = new double[CHUNK];
        double[] maskValues = new double[CHUNK];
        double[] residual = new double[CHUNK];
        float[] staging = new float[CHUNK];
        long[] dropped = new long[CHUNK];
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            drawDropped(seed, at, dropped, n);
            in.read(at, values, n, staging);
            for (int k = 0; k < n; k++) {
                double scale = dropped[k] != 0 ? 0.0 : keep;
                maskValues[k] = scale;
                values[k] *= scale;
            }
            if (add != null) {
                add.read(at, residual, n, staging);
                for (int k = 0; k < n; k++) {
                    values[k] = residual[k] + values[k];
                }
            }
            if (m != null) {
                m.write(at, maskValues, n, staging);
            }
            result.write(at, values, n, staging);
        }
    }
}
