package org.sparkformer.driver.averaging;

import java.io.Serializable;

/**
 * What one partition's local training produced.
 *
 * @param examples  examples seen: the partition's weight in the average (0 contributes nothing)
 * @param params    parameters after local training (same length as those broadcast)
 * @param optState  optimizer state after local training (same length as that broadcast)
 * @param lossSum   sum of the loss terms seen while training
 * @param lossTerms number of loss terms in {@code lossSum} (tokens, labels or steps, as the trainer counts)
 * @param tokens    real (non-padding) tokens processed, for throughput
 */
public record PartialResult(long examples, float[] params, float[] optState, double lossSum, long lossTerms, long tokens)
        implements Serializable {

    public PartialResult {
        if (examples < 0 || lossTerms < 0 || tokens < 0) {
            throw new IllegalArgumentException("examples, lossTerms and tokens must not be negative, got "
                    + examples + ", " + lossTerms + ", " + tokens);
        }
    }
}
