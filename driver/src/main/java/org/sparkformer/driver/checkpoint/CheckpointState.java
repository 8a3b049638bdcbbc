package org.sparkformer.driver.checkpoint;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * @param settings                 the settings of the run that wrote it, key to value as text (empty when not
 *                                 recorded), so a resumed run can be checked against them
 * @param inputs                   what the run that wrote it read, key to value as text: the pretrained model's path
 *                                 and digest, a fingerprint of each data path (empty when not recorded), so a resumed
 *                                 run can be checked against them
 */
public record CheckpointState(int round, long step, long jobSeed, int epoch, long[] partitionBatchPositions,
                              long scheduleStep, Double validationMetric, Double bestMetric, int bestRound,
                              Map<String, String> settings, Map<String, String> inputs) {

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
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        inputs = inputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(inputs));
    }

    /** A state that records no settings and no inputs. */
    public CheckpointState(int round, long step, long jobSeed, int epoch, long[] partitionBatchPositions,
                           long scheduleStep, Double validationMetric, Double bestMetric, int bestRound) {
        this(round, step, jobSeed, epoch, partitionBatchPositions, scheduleStep, validationMetric, bestMetric, bestRound,
                Map.of(), Map.of());
    }

    /** This state recording {@code runSettings} and {@code runInputs}. */
    public CheckpointState withRun(Map<String, String> runSettings, Map<String, String> runInputs) {
        return new CheckpointState(round, step, jobSeed, epoch, partitionBatchPositions, scheduleStep, validationMetric,
                bestMetric, bestRound, runSettings, runInputs);
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
                && Objects.equals(bestMetric, s.bestMetric) && bestRound == s.bestRound && settings.equals(s.settings)
                && inputs.equals(s.inputs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(round, step, jobSeed, epoch, Arrays.hashCode(partitionBatchPositions), scheduleStep,
                validationMetric, bestMetric, bestRound, settings, inputs);
    }
}
