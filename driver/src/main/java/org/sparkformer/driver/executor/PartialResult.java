package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * What one partition's local training produced. The task sends its arrays back packed
 * ({@link PartitionOutcome}); the class stays a plain serializable one (not a record, which Spark's Kryo
 * serializer cannot handle) for trainers that keep or ship results themselves.
 */
public final class PartialResult implements Serializable {

    private final long examples;
    private final float[] params;
    private final float[] optState;
    private final double lossSum;
    private final long lossTerms;
    private final long tokens;

    /**
     * @param examples  examples seen: the partition's weight in the average (0 contributes nothing)
     * @param params    parameters after local training (same length as those broadcast)
     * @param optState  optimizer state after local training (same length as that broadcast)
     * @param lossSum   sum of the loss terms seen while training
     * @param lossTerms number of loss terms in {@code lossSum} (tokens, labels or steps, as the trainer counts)
     * @param tokens    real (non-padding) tokens processed, for throughput
     */
    public PartialResult(long examples, float[] params, float[] optState, double lossSum, long lossTerms, long tokens) {
        if (examples < 0 || lossTerms < 0 || tokens < 0) {
            throw new IllegalArgumentException("examples, lossTerms and tokens must not be negative, got "
                    + examples + ", " + lossTerms + ", " + tokens);
        }
        this.examples = examples;
        this.params = params;
        this.optState = optState;
        this.lossSum = lossSum;
        this.lossTerms = lossTerms;
        this.tokens = tokens;
    }

    public long examples() {
        return examples;
    }

    public float[] params() {
        return params;
    }

    public float[] optState() {
        return optState;
    }

    public double lossSum() {
        return lossSum;
    }

    public long lossTerms() {
        return lossTerms;
    }

    public long tokens() {
        return tokens;
    }
}
