package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * A running sum of per-position cross-entropy terms and their count, mergeable across partitions. A plain class,
 * not a record, so Spark's Kryo serializer can carry it.
 */
public final class LossSum implements Serializable {

    private double sum;
    private long count;

    /** Adds {@code terms} loss terms summing to {@code lossSum}. */
    public void add(double lossSum, long terms) {
        if (terms < 0) {
            throw new IllegalArgumentException("loss term count must not be negative, got " + terms);
        }
        sum += lossSum;
        count += terms;
    }

    public LossSum merge(LossSum other) {
        sum += other.sum;
        count += other.count;
        return this;
    }

    public double sum() {
        return sum;
    }

    public long count() {
        return count;
    }

    /** The mean loss term; NaN when there is none. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
