package org.sparkformer.driver.listeners;

import org.sparkformer.driver.checkpoint.Checkpoint;
import org.sparkformer.driver.checkpoint.CheckpointStore;

import java.util.function.Function;

/**
 * Writes a checkpoint every {@code every} rounds, when training is asked to stop, and at the end of
 * training unless the last round was just written. The snapshot function turns the state into a
 * checkpoint (parameters, optimizer state, data cursor) and belongs to the job.
 */
public final class CheckpointListener implements TrainingListener {

    private final CheckpointStore store;
    private final int every;
    private final Function<TrainingState, Checkpoint> snapshot;
    private int lastWritten = -1;

    public CheckpointListener(CheckpointStore store, int every, Function<TrainingState, Checkpoint> snapshot) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 round, got " + every);
        }
        this.store = store;
        this.every = every;
        this.snapshot = snapshot;
    }

    @Override
    public void onRoundEnd(TrainingState s) throws Exception {
        if (s.round() % every == 0 || s.shouldStop()) {
            write(s);
        }
    }

    @Override
    public void onTrainEnd(TrainingState s) throws Exception {
        if (lastWritten != s.round() && s.round() > 0) {
            write(s);
        }
    }

    private void write(TrainingState s) throws Exception {
        store.write(snapshot.apply(s));
        lastWritten = s.round();
    }

    /** Round of the last checkpoint written, or -1. */
    public int lastWritten() {
        return lastWritten;
    }
}
