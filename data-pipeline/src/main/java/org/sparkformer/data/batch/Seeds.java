package org.sparkformer.data.batch;

import static org.sparkformer.kernels.random.SplitMix64.mix;

/**
 * Seeds for every random choice, derived from the job seed and the coordinates of the choice (partition, epoch,
 * index, ...) by SplitMix64 mixing, so that a choice is reproducible from its coordinates alone.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A seed for the choice at {@code coordinates} under {@code jobSeed}. */
    public static long derive(long jobSeed, long... coordinates) {
        long h = mix(jobSeed ^ 0x5DEECE66DL);
        for (long c : coordinates) {
            h = mix(h ^ mix(c + 0x9E3779B97F4A7C15L));
        }
        return h;
    }
}
