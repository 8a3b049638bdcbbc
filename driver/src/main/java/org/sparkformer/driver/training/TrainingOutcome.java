package org.sparkformer.driver.training;

import org.sparkformer.driver.checkpoint.CheckpointState;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.kernels.io.Tensor;

import java.util.List;

/**
 * What a training run ended with.
 *
 * @param params        parameters after the last round
 * @param optState      optimizer state after the last round
 * @param rounds        rounds completed
 * @param steps         optimizer steps per worker completed
 * @param finalLoss     mean training loss of the last round
 * @param bestParams    parameters at the best validation measurement, or null when none was made
 * @param bestMetric    the best validation metric, or null
 * @param bestRound     round of {@code bestMetric}, or -1
 * @param stopReason    why training stopped early, or null
 * @param finalState    the run state after the last round (round, step, seeds, data cursor), as a checkpoint holds it
 * @param history       the figures of every round this process ran (after a resume: from the resumed round on)
 */
public record TrainingOutcome(float[] params, float[] optState, int rounds, long steps, double finalLoss,
                              float[] bestParams, Double bestMetric, int bestRound, String stopReason,
                              CheckpointState finalState, TrainingHistory history) {

    /** The parameters to keep: the best validated ones when validation ran, else the last ones. */
    public float[] keptParams() {
        return bestParams != null ? bestParams : params;
    }

    /** Optimizer state and run state to store with the model, so training can continue from it. */
    public ModelFiles.TrainingState trainingState() {
        return new ModelFiles.TrainingState(List.of(new Tensor(DistributedTrainer.OPTIMIZER_TENSOR,
                new long[] {optState.length}, optState)), finalState);
    }
}
