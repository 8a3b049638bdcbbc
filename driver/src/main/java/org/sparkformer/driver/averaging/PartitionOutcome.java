package org.sparkformer.driver.averaging;

import java.io.Serializable;

/** A partition's result tagged with its id and the time its trainer took; what one task sends back. */
record PartitionOutcome(int partition, PartialResult result, long computeNanos) implements Serializable {

    /** A partition that had no data: zero weight, no arrays. */
    static PartitionOutcome empty(int partition) {
        return new PartitionOutcome(partition, new PartialResult(0, null, null, 0, 0, 0), 0);
    }

    long weight() {
        return result.examples();
    }
}
