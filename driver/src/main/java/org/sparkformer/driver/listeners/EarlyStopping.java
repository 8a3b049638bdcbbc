package org.sparkformer.driver.listeners;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Requests a stop after {@code patience} evaluations in a row without a new best validation metric. */
public final class EarlyStopping implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);
    private final int patience;
    private int sinceBest;

    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1, got " + patience);
        }
        this.patience = patience;
    }

    @Override
    public void onEvaluate(TrainingState s) {
        if (s.bestRound() == s.round()) {
            sinceBest = 0;
            return;
        }
        sinceBest++;
        if (sinceBest >= patience) {
            String reason = "no validation improvement in " + sinceBest + " evaluations (best " + s.bestMetric()
                    + " at round " + s.bestRound() + ")";
            LOG.info("early stopping: {}", reason);
            s.requestStop(reason);
        }
    }
}
