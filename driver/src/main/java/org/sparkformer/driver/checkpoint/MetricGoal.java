package org.sparkformer.driver.checkpoint;

/** Whether a larger validation metric is better (accuracy) or a smaller one (loss, perplexity). */
public enum MetricGoal {
    MAXIMIZE,
    MINIMIZE;

    /** True when {@code candidate} beats {@code incumbent}; a null incumbent is always beaten. */
    public boolean better(double candidate, Double incumbent) {
        if (incumbent == null) {
            return true;
        }
        return this == MAXIMIZE ? candidate > incumbent : candidate < incumbent;
    }
}
