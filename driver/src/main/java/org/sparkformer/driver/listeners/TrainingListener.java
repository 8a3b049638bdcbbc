package org.sparkformer.driver.listeners;

/**
 * Called by the training loop at fixed points; every method has an empty default. Listeners may call
 * {@link TrainingState#requestStop} and must not modify anything else. Exceptions stop training.
 */
public interface TrainingListener {

    default void onTrainBegin(TrainingState state) throws Exception {
    }

    /** After each averaging round, once the state holds its figures. */
    default void onRoundEnd(TrainingState state) throws Exception {
    }

    /** After a validation measurement was recorded in the state. */
    default void onEvaluate(TrainingState state) throws Exception {
    }

    /** Once, after the last round (also after an early stop). */
    default void onTrainEnd(TrainingState state) throws Exception {
    }
}
