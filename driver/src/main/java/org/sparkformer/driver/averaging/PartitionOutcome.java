package org.sparkformer.driver.averaging;

import java.io.Serializable;

/**
 * What one task sends back: a partition's result with its parameters and optimizer state packed
 * ({@link PackedFloats}, array 0 the parameters, array 1 the state), tagged with its id and the time its trainer
 * took. A partition without weight sends no arrays: they would add nothing to the average. A plain final class
 * because Spark's Kryo serializer cannot handle records.
 */
final class PartitionOutcome implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int partition;
    private final long examples;
    private final double lossSum;
    private final long lossTerms;
    private final long tokens;
    private final PackedFloats arrays;
    private final long computeNanos;

    private PartitionOutcome(int partition, long examples, double lossSum, long lossTerms, long tokens,
                             PackedFloats arrays, long computeNanos) {
        this.partition = partition;
        this.examples = examples;
        this.lossSum = lossSum;
        this.lossTerms = lossTerms;
        this.tokens = tokens;
        this.arrays = arrays;
        this.computeNanos = computeNanos;
    }

    /** Packs {@code result}'s arrays when it has weight. */
    static PartitionOutcome of(int partition, PartialResult result, long computeNanos) {
        PackedFloats arrays = result.examples() == 0 ? null : PackedFloats.of(
                requirePresent(partition, "params", result.params()),
                requirePresent(partition, "optimizer state", result.optState()));
        return new PartitionOutcome(partition, result.examples(), result.lossSum(), result.lossTerms(), result.tokens(),
                arrays, computeNanos);
    }

    /** A partition that had no data: zero weight, no arrays. */
    static PartitionOutcome empty(int partition) {
        return new PartitionOutcome(partition, 0, 0, 0, 0, null, 0);
    }

    private static float[] requirePresent(int partition, String what, float[] values) {
        if (values == null) {
            throw new IllegalStateException("partition " + partition + " returned no " + what);
        }
        return values;
    }

    int partition() {
        return partition;
    }

    long weight() {
        return examples;
    }

    double lossSum() {
        return lossSum;
    }

    long lossTerms() {
        return lossTerms;
    }

    long tokens() {
        return tokens;
    }

    /** Parameters (array 0) and optimizer state (array 1); null when the weight is 0. */
    PackedFloats arrays() {
        return arrays;
    }

    long computeNanos() {
        return computeNanos;
    }
}
