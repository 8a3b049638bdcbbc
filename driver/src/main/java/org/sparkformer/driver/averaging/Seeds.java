package org.sparkformer.driver.averaging;

/** Derives independent seeds from a job seed and coordinates, SplitMix64 style; no wall-clock input. */
public final class Seeds {

    private Seeds() {
    }

    /** Seed for one partition in one round. */
    public static long forPartition(long jobSeed, int round, int partition) {
        return mix(mix(mix(jobSeed) ^ (0x9E3779B97F4A7C15L * (round + 1L))) ^ (0xC2B2AE3D27D4EB4FL * (partition + 1L)));
    }

    /** The SplitMix64 finalizer: a bijection on longs that spreads every input bit over the output. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
