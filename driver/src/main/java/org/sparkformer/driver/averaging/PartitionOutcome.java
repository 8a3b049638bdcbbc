package org.sparkformer.driver.averaging;

import java.io.Serializable;

/**
 * A partition's result tagged with its id and the time its trainer took: what one task sends back.
 * A plain final class because Spark's Kryo serializer cannot handle records.
 */
final class PartitionOutcome implements Serializable {

    private final int partition;
    private final PartialResult result;
    private final long computeNanos;

    PartitionOutcome(int partition, PartialResult result, long computeNanos) {
        this.partition = partition;
        this.result = result;
        this.computeNanos = computeNanos;
    }

    /** A partition that had no data: zero weight, no arrays. */
    static PartitionOutcome empty(int partition) {
        return new PartitionOutcome(partition, new PartialResult(0, null, null, 0, 0, 0), 0);
    }

    int partition() {
        return partition;
    }

    PartialResult result() {
        return result;
    }

    long computeNanos() {
        return computeNanos;
    }

    long weight() {
        return result.examples();
    }
}
