package org.sparkformer.driver.listeners;

import java.util.List;

/** Several listeners called in order, as one. */
public final class TrainingListeners implements TrainingListener {

    private final List<TrainingListener> listeners;

    public TrainingListeners(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onTrainBegin(TrainingState state) throws Exception {
        for (TrainingListener l : listeners) {
            l.onTrainBegin(state);
        }
    }

    @Override
    public void onRoundEnd(TrainingState state) throws Exception {
        for (TrainingListener l : listeners) {
            l.onRoundEnd(state);
        }
    }

    @Override
    public void onEvaluate(TrainingState state) throws Exception {
        for (TrainingListener l : listeners) {
            l.onEvaluate(state);
        }
    }

    @Override
    public void onTrainEnd(TrainingState state) throws Exception {
        for (TrainingListener l : listeners) {
            l.onTrainEnd(state);
        }
    }
}
