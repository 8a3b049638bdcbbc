package org.sparkformer.driver.averaging;

/**
 * The outcome of one averaging round.
 *
 * @param params            averaged parameters (the input parameters when no partition had data)
 * @param optState          averaged optimizer state (likewise)
 * @param examples          examples seen across partitions
 * @param lossSum           sum of all partitions' loss terms
 * @param lossTerms         number of loss terms
 * @param tokens            tokens processed
 * @param partitions        partitions in the round
 * @param partitionsWithData partitions that contributed weight
 * @param broadcastNanos    time to make the parameters and state available to the tasks (open the round channel or
 *                          broadcast them)
 * @param computeNanos      wall time of the training job on the cluster
 * @param aggregateNanos    driver time spent summing and dividing
 * @param taskComputeNanos  sum over partitions of time spent inside the trainer
 * @param resultsOnChannel  partitions whose result came back on the round channel (0 when the channel was off or every
 *                          task fell back to Spark's task result)
 * @param resultsRefused    results the round channel refused and did not store: from an attempt Spark did not launch
 *                          for the partition, a second one for a partition (its task then sent it through Spark), or
 *                          for a partition outside the round
 */
public record RoundResult(float[] params, float[] optState, long examples, double lossSum, long lossTerms, long tokens,
                          int partitions, int partitionsWithData, long broadcastNanos, long computeNanos,
                          long aggregateNanos, long taskComputeNanos, int resultsOnChannel,
                          int resultsRefused) {

    /** Mean loss per term, or NaN when nothing was trained. */
    public double meanLoss() {
        return lossTerms == 0 ? Double.NaN : lossSum / lossTerms;
    }

    /** Tokens per second of round wall time (broadcast + compute + aggregate). */
    public double tokensPerSecond() {
        long wall = broadcastNanos + computeNanos + aggregateNanos;
        return wall == 0 ? 0 : tokens * 1e9 / wall;
    }
}
