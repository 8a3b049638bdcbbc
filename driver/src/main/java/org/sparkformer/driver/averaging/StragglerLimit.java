package org.sparkformer.driver.averaging;

/**
 * When a round's task counts as a straggler: once at least half of the round's partitions have finished, a task that
 * has run longer than {@code factor} times their median duration and at least {@code minMillis} is killed and
 * relaunched by Spark, once per partition and round. A relaunched task trains from the same start with the same seed,
 * so the round's result is bit-identical. The defaults are {@code training.stragglerFactor} and
 * {@code training.stragglerMinSeconds} in {@code conf/default.yaml}.
 *
 * @param factor    multiple of the finished tasks' median duration; 0 turns the limit off
 * @param minMillis a task is never relaunched before it has run this long
 */
public record StragglerLimit(double factor, long minMillis) {

    /** No limit: a round waits for its slowest task. */
    public static final StragglerLimit OFF = new StragglerLimit(0, 0);

    public StragglerLimit {
        if (!(factor == 0 || factor >= 1) || Double.isNaN(factor)) {
            throw new IllegalArgumentException("the straggler factor must be 0 (off) or at least 1, got " + factor);
        }
        if (minMillis < 0) {
            throw new IllegalArgumentException("the straggler minimum must not be negative, got " + minMillis + " ms");
        }
    }

    /** Whether the limit is on. */
    public boolean on() {
        return factor > 0;
    }

    /** How long a task may run when the round's finished tasks took {@code medianMillis} (median). */
    long limitMillis(long medianMillis) {
        return Math.max(minMillis, (long) Math.ceil(factor * medianMillis));
    }
}
