package org.sparkformer.driver.executor;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts of (gold label, predicted label) pairs over {@code n} labels: {@code count(gold, predicted)}. Mergeable, so
 * partitions can tally their own and a tree aggregate can add them up. A plain class, not a record: it travels as a
 * task result through Spark's Kryo serializer.
 */
public final class ConfusionMatrix implements Serializable {

    private final int n;
    private final long[] counts;

    public ConfusionMatrix(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least one label, got " + n);
        }
        this.n = n;
        this.counts = new long[n * n];
    }

    public int size() {
        return n;
    }

    /** Records one prediction. */
    public void add(int gold, int predicted) {
        check(gold, "gold");
        check(predicted, "predicted");
        counts[gold * n + predicted]++;
    }

    /** Adds {@code other}'s counts to this matrix and returns this one. */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (other.n != n) {
            throw new IllegalArgumentException("cannot merge a " + other.n + "-label confusion matrix into a " + n + "-label one");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    public long count(int gold, int predicted) {
        return counts[gold * n + predicted];
    }

    /** Examples whose gold label is {@code label} (the row sum). */
    public long support(int label) {
        long s = 0;
        for (int p = 0; p < n; p++) {
            s += counts[label * n + p];
        }
        return s;
    }

    /** Examples predicted as {@code label} (the column sum). */
    public long predicted(int label) {
        long s = 0;
        for (int g = 0; g < n; g++) {
            s += counts[g * n + label];
        }
        return s;
    }

    public long correct() {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += counts[i * n + i];
        }
        return s;
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Row {@code gold} of the matrix: how examples of that label were predicted. */
    public long[] row(int gold) {
        return Arrays.copyOfRange(counts, gold * n, (gold + 1) * n);
    }

    private void check(int label, String what) {
        if (label < 0 || label >= n) {
            throw new IllegalArgumentException(what + " label " + label + " is outside [0, " + n + ")");
        }
    }
}
