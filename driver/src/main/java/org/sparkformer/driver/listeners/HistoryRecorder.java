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
    private final double elapsedBefore;
    private int evaluatedRound = -1;
    private double evaluated;

    /** A recorder for a run from round 0. */
    public HistoryRecorder() {
        this(TrainingHistory.empty());
    }

    /**
     * A recorder that continues {@code earlier} (the rounds before a resume): its rounds come first, and the time of
     * the rounds recorded here counts on from its last {@code elapsed_seconds}.
     */
    public HistoryRecorder(TrainingHistory earlier) {
        rounds.addAll(earlier.rounds());
        elapsedBefore = earlier.isEmpty() ? 0 : earlier.rounds().get(earlier.size() - 1).elapsedSeconds();
    }

    @Override
    public void onEvaluate(TrainingState s) {
        evaluatedRound = s.round();
        evaluated = s.validationMetric();
    }

    @Override
    public void onRoundEnd(TrainingState s) {
        double roundSeconds = (s.broadcastNanos() + s.computeNanos() + s.aggregateNanos()) / 1e9;
        rounds.add(new TrainingHistory.Round(s.round(), s.epochs(), s.steps(), s.loss(), s.learningRate(),
                s.tokensPerSecond(), roundSeconds, elapsedBefore + s.elapsedNanos() / 1e9,
                evaluatedRound == s.round() ? evaluated : null));
    }

    /** The rounds recorded so far. */
    public TrainingHistory history() {
        return new TrainingHistory(rounds);
    }
}
