package org.sparkformer.kernels.train;

/**
 * What one {@link LocalTrainer#train} call did.
 *
 * @param steps     optimizer steps taken
 * @param examples  sequences consumed
 * @param tokens    non-padding tokens consumed
 * @param lossSum   sum of per-position losses (mean loss of each microbatch times its labelled positions)
 * @param lossCount labelled positions
 * @param nanos     wall time
 */
public record TrainStats(int steps, long examples, long tokens, double lossSum, long lossCount, long nanos) {

    /** Mean loss per labelled position, NaN when nothing was labelled. */
    public double meanLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** Non-padding tokens per second of wall time. */
    public double tokensPerSecond() {
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }
}
