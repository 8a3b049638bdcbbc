package org.sparkformer.bench;

/**
 * The sgemm peak that model-FLOPs utilisation is measured against. The sgemm probe runs before the kernel figures
 * and again after them, and the higher of the two medians counts: on a shared machine a probe that falls in a busy
 * spell under-states the peak, and with it every MFU figure would be over-stated; the higher median errs the other
 * way.
 *
 * @param before GFLOP/s of the probe before the kernel figures
 * @param after  GFLOP/s of the probe after them
 */
public record SgemmPeak(Samples before, Samples after) {

    /** The higher of the two medians, in GFLOP/s. */
    public double gflops() {
        return Math.max(before.median(), after.median());
    }
}
