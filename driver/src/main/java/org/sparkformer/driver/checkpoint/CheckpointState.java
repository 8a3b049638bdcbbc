package org.sparkformer.driver.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything besides tensors that a resumed run needs to continue exactly where it stopped.
 *
 * @param round                    rounds completed (the checkpoint is taken after this many rounds)
 * @param step                     optimizer steps completed per worker
 * @param jobSeed                  the job seed of the run
 * @param epoch                    current epoch (0-based)
 * @param partitionBatchPositions  per partition: minibatches of the current epoch already consumed
 * @param scheduleStep             position in the learning-rate schedule
 * @param validationMetric         validation metric measured at this round, or null when not measured
 * @param bestMetric               best validation metric so far, or null
 * @param bestRound                round at which {@code bestMetric} was measured, or -1
 */
public record CheckpointState(int round, long step, long jobSeed, int epoch, long[] partitionBatchPositions,
                              long scheduleStep, Double validationMetric, Double bestMetric, int bestRound) {

    public CheckpointState {
        if (round < 0 || step < 0 || epoch < 0 || scheduleStep < 0) {
            throw new IllegalArgumentException("round, step, epoch and scheduleStep must not be negative");
        }
        partitionBatchPositions = partitionBatchPositions == null ? new long[0] : partitionBatchPositions.clone();
        for (long p : partitionBatchPositions) {
            if (p < 0) {
                throw new IllegalArgumentException("partition batch positions must not be negative: "
                        + Arrays.toString(partitionBatchPositions));
            }
        }
        if (validationMetric != null && !Double.isFinite(validationMetric)) {
            throw new IllegalArgumentException("validation metric must be finite, got " + validationMetric);
        }
    }

    @Override
    public long[] partitionBatchPositions() {
        return partitionBatchPositions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointState s && round == s.round && step == s.step && jobSeed == s.jobSeed
                && epoch == s.epoch && Arrays.equals(partitionBatchPositions, s.partitionBatchPositions)
                && scheduleStep == s.scheduleStep && Objects.equals(validationMetric, s.validationMetric)
                && Objects.equals(bestMetric, s.bestMetric) && bestRound == s.bestRound;
    }

    @Override
    public int hashCode() {
        return Objects.hash(round, step, jobSeed, epoch, Arrays.hashCode(partitionBatchPositions), scheduleStep,
                validationMetric, bestMetric, bestRound);
    }
}
