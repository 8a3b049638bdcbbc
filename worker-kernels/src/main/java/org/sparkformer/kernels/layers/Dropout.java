package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: a mask of {@code 0} (probability p) or {@code 1/(1-p)} drawn from a counter-based stream, so
 * a mask depends only on its seed and size, never on threads or call order. Masks are drawn and applied in one
 * pass over host memory, in chunks.
 */
public final class Dropout {

    private static final int CHUNK = 1024;

    private final double probability;
    private final double[] maskValues = new double[CHUNK];
    private final double[] values = new double[CHUNK];
    private final float[] staging = new float[CHUNK];

    public Dropout(double probability) {
        this.probability = probability;
    }

    /** Whether this dropout does anything in training mode. */
    public boolean active() {
        return probability > 0;
    }

    /** Fills {@code mask} from {@code seed} and writes {@code out = source * mask} (out may be source); all contiguous, same shape. */
    public void apply(INDArray source, INDArray mask, INDArray out, long seed) {
        HostArray m = HostArray.of(mask);
        HostArray in = HostArray.of(source);
        HostArray result = out == source ? in : HostArray.of(out);
        double keep = m.representable(1.0 / (1.0 - probability));   // so value * keep rounds as the array's own product
        int length = m.length();
        for (int from = 0; from < length; from += CHUNK) {
            int n = Math.min(CHUNK, length - from);
            in.read(from, values, n, staging);
            for (int k = 0; k < n; k++) {
                double scale = SplitMix64.uniform(seed, from + k) < probability ? 0.0 : keep;
                maskValues[k] = scale;
                values[k] *= scale;
            }
            m.write(from, maskValues, n, staging);
            result.write(from, values, n, staging);
        }
    }
}
