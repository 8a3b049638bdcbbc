package org.sparkformer.driver.evaluation.baseline;

import java.io.Serializable;

/** What a partition contributes to baseline scores: examples seen and, per baseline, how many it got right. Mergeable. */
public final class BaselineTally implements Serializable {

    private final long[] correct;
    private long examples;

    public BaselineTally(int baselines) {
        this.correct = new long[baselines];
    }

    void add(int baseline, boolean right) {
        if (right) {
            correct[baseline]++;
        }
    }

    void countExample() {
        examples++;
    }

    BaselineTally merge(BaselineTally other) {
        for (int i = 0; i < correct.length; i++) {
            correct[i] += other.correct[i];
        }
        examples += other.examples;
        return this;
    }

    long correct(int baseline) {
        return correct[baseline];
    }

    long examples() {
        return examples;
    }
}
