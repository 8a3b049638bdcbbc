package org.sparkformer.data.batch;

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

    /** The SplitMix64 finalizer. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
