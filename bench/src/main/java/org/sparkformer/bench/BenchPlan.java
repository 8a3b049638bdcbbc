package org.sparkformer.bench;

/**
 * How much to measure: warm-up and timed repetitions of each figure and the cluster sizes.
 *
 * @param sgemmSize          n of the n x n x n sgemm
 * @param sgemmRuns          timed sgemm calls (after as many warm-up calls)
 * @param warmupSteps        untimed training steps / inference batches first
 * @param timedSteps         timed training steps / inference batches
 * @param breakdownSteps     further training steps timed part by part (forward, backward, optimizer)
 * @param pipelinePasses     timed passes over the corpus (after one warm-up pass)
 * @param corpusLines        corpus lines used (0: all)
 * @param clusterBatch       sequences per minibatch on the cluster (0: the preset's batch)
 * @param averagingFrequency optimizer steps per worker per averaging round (0: the configuration default)
 * @param clusterWarmupRounds untimed rounds per worker count
 * @param clusterTimedRounds  timed rounds per worker count
 * @param executorMemoryMb   heap of each executor
 */
public record BenchPlan(int sgemmSize, int sgemmRuns, int warmupSteps, int timedSteps, int breakdownSteps,
                        int pipelinePasses,
                        int corpusLines, int clusterBatch, int averagingFrequency, int clusterWarmupRounds,
                        int clusterTimedRounds, int executorMemoryMb) {

    public BenchPlan {
        if (sgemmSize < 1 || sgemmRuns < 1 || warmupSteps < 0 || timedSteps < 1 || breakdownSteps < 1 || pipelinePasses < 1 || corpusLines < 0
                || clusterBatch < 0 || averagingFrequency < 0 || clusterWarmupRounds < 0 || clusterTimedRounds < 1
                || executorMemoryMb < 256) {
            throw new IllegalArgumentException("invalid benchmark plan " + this);
        }
    }

    /** Full measurement: about 10 minutes for the reference configuration on 2 idle cores. */
    public static BenchPlan full() {
        return new BenchPlan(1024, 15, 2, 7, 3, 5, 0, 0, 0, 1, 3, 1536);
    }

    /** This plan with {@code k} optimizer steps per worker per averaging round on the cluster (0: the default). */
    public BenchPlan withAveragingFrequency(int k) {
        return new BenchPlan(sgemmSize, sgemmRuns, warmupSteps, timedSteps, breakdownSteps, pipelinePasses, corpusLines,
                clusterBatch, k, clusterWarmupRounds, clusterTimedRounds, executorMemoryMb);
    }

    /** A quick look (about 2-3 minutes): fewer repetitions, a quarter of the corpus, batch 4 and 2 steps per round. */
    public static BenchPlan quick() {
        return new BenchPlan(1024, 7, 1, 3, 2, 3, 3500, 4, 2, 1, 3, 1024);
    }
}
