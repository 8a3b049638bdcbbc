package org.sparkformer.driver.executor;

import static org.sparkformer.kernels.random.SplitMix64.mix;

/** Derives independent seeds from a job seed and coordinates, with the SplitMix64 finaliser; no wall-clock input. */
public final class Seeds {

    private Seeds() {
    }

    /** Seed for one partition in one round. */
    public static long forPartition(long jobSeed, int round, int partition) {
        return mix(mix(mix(jobSeed) ^ (0x9E3779B97F4A7C15L * (round + 1L))) ^ (0xC2B2AE3D27D4EB4FL * (partition + 1L)));
    }
}
