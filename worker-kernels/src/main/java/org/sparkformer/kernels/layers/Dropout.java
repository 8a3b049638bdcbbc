package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: a mask of {@code 0} (probability p) or {@code 1/(1-p)} drawn from a counter-based stream, so
 * a mask depends only on its seed and size, never on threads or call order.
 */
public final class Dropout {

    private final double probability;

    public Dropout(double probability) {
        this.probability = probability;
    }

    /** Whether this dropout does anything in training mode. */
    public boolean active() {
        return probability > 0;
    }

    /** Fills {@code mask} from {@code seed}. */
    public void fillMask(INDArray mask, long seed) {
        HostArray m = HostArray.of(mask);
        double keep = 1.0 / (1.0 - probability);
        for (int i = 0; i < m.length(); i++) {
            m.set(i, SplitMix64.uniform(seed, i) < probability ? 0.0 : keep);
        }
    }
}
