package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * What one task sends back: a partition's result with its parameters and optimizer state packed
 * ({@link PackedFloats}, array 0 the parameters, array 1 the state), tagged with its id and the time its trainer
 * took. When the arrays went to the driver's round channel instead, the outcome carries the task attempt
 * that sent them and the driver puts them back in ({@link #withArrays}). A partition without weight sends no arrays:
 * they would add nothing to the average. A plain final class because Spark's Kryo serializer cannot handle records.
 */
public final class PartitionOutcome implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int partition;
    private final long examples;
    private final double lossSum;
    private final long lossTerms;
    private final long tokens;
    private final PackedFloats arrays;
    private final long computeNanos;
    private final long sentByAttempt;

    private PartitionOutcome(int partition, long examples, double lossSum, long lossTerms, long tokens,
                             PackedFloats arrays, long computeNanos, long sentByAttempt) {
        this.partition = partition;
        this.examples = examples;
        this.lossSum = lossSum;
        this.lossTerms = lossTerms;
        this.tokens = tokens;
        this.arrays = arrays;
        this.computeNanos = computeNanos;
        this.sentByAttempt = sentByAttempt;
    }

    /** Packs {@code result}'s arrays when it has weight. */
    public static PartitionOutcome of(int partition, PartialResult result, long computeNanos) {
        PackedFloats arrays = result.examples() == 0 ? null : PackedFloats.of(
                requirePresent(partition, "params", result.params()),
                requirePresent(partition, "optimizer state", result.optState()));
        return new PartitionOutcome(partition, result.examples(), result.lossSum(), result.lossTerms(), result.tokens(),
                arrays, computeNanos, -1);
    }

    /** {@code result} without its arrays, which task attempt {@code attempt} sent to the driver's result channel. */
    static PartitionOutcome sentAside(int partition, PartialResult result, long computeNanos, long attempt) {
        return new PartitionOutcome(partition, result.examples(), result.lossSum(), result.lossTerms(), result.tokens(),
                null, computeNanos, attempt);
    }

    /** A partition that had no data: zero weight, no arrays. */
    static PartitionOutcome empty(int partition) {
        return new PartitionOutcome(partition, 0, 0, 0, 0, null, 0, -1);
    }

    /** This outcome with the arrays its task sent aside. */
    public PartitionOutcome withArrays(PackedFloats sent) {
        return new PartitionOutcome(partition, examples, lossSum, lossTerms, tokens, sent, computeNanos, -1);
    }

    private static float[] requirePresent(int partition, String what, float[] values) {
        if (values == null) {
            throw new IllegalStateException("partition " + partition + " returned no " + what);
        }
        return values;
    }

    public int partition() {
        return partition;
    }

    public long weight() {
        return examples;
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

    /** Parameters (array 0) and optimizer state (array 1); null when the weight is 0. */
    public PackedFloats arrays() {
        return arrays;
    }

    public long computeNanos() {
        return computeNanos;
    }

    /** The task attempt that sent the arrays to the driver's result channel; -1 when they are here or absent. */
    public long sentByAttempt() {
        return sentByAttempt;
    }
}
