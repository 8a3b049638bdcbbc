package org.sparkformer.driver.training;

import org.sparkformer.driver.listeners.TrainingHistory;

/**
 * Where a run starts: fresh parameters at round 0, or a checkpoint's state.
 *
 * @param params     parameters to start from
 * @param optState   optimizer state to start from (empty: fresh)
 * @param round      rounds already completed
 * @param bestParams parameters of the best validation so far, or null
 * @param bestMetric best validation metric so far, or null
 * @param bestRound  round of {@code bestMetric}, or -1
 * @param history    the figures of the rounds already completed, as far as they were kept (empty: none)
 */
public record StartPoint(float[] params, float[] optState, int round, float[] bestParams, Double bestMetric, int bestRound,
                         TrainingHistory history) {

    /** Round 0 from {@code params} with a fresh optimizer state of {@code optimizerStateSize} zeros. */
    public static StartPoint fresh(float[] params, int optimizerStateSize) {
        return new StartPoint(params, new float[optimizerStateSize], 0, null, null, -1, TrainingHistory.empty());
    }
}
