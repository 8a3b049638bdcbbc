package org.sparkformer.driver.training;

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
 */
public record TrainingOutcome(float[] params, float[] optState, int rounds, long steps, double finalLoss,
                              float[] bestParams, Double bestMetric, int bestRound, String stopReason) {

    /** The parameters to keep: the best validated ones when validation ran, else the last ones. */
    public float[] keptParams() {
        return bestParams != null ? bestParams : params;
    }
}
