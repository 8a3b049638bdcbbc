package org.sparkformer.driver.listeners;

import java.util.ArrayList;
import java.util.List;

/**
 * Records the {@link TrainingHistory}: after each round the figures the {@link TrainingState} holds (those the progress
 * line shows, with the schedule's step, epoch and learning rate), and the validation metric when one was measured after
 * that round.
 */
public final class HistoryRecorder implements TrainingListener {

    private final List<TrainingHistory.Round> rounds = new ArrayList<>();
    private int evaluatedRound = -1;
    private double evaluated;

    @Override
    public void onEvaluate(TrainingState s) {
        evaluatedRound = s.round();
        evaluated = s.validationMetric();
    }

    @Override
    public void onRoundEnd(TrainingState s) {
        double roundSeconds = (s.broadcastNanos() + s.computeNanos() + s.aggregateNanos()) / 1e9;
        rounds.add(new TrainingHistory.Round(s.round(), s.epochs(), s.steps(), s.loss(), s.learningRate(),
                s.tokensPerSecond(), roundSeconds, s.elapsedNanos() / 1e9,
                evaluatedRound == s.round() ? evaluated : null));
    }

    /** The rounds recorded so far. */
    public TrainingHistory history() {
        return new TrainingHistory(rounds);
    }
}
