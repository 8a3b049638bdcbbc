package org.sparkformer.driver.executor;

/**
 * Points inside a round's task where the fault-injection suites make a task attempt fail where it hurts: during local
 * training, after some minibatches have changed the executor's cached model, and after the result was accepted on the
 * driver's round channel but before the task ends. Jobs install nothing here: passing a point is one read of a
 * volatile field. An injector acts in the JVM that runs the task (under a local master, the driver's own).
 */
public final class TaskFaults {

    /** What a fault-injection suite does at the points; each method may throw to fail the task attempt there. */
    public interface Injector {

        /**
         * Before minibatch {@code batchesTrained} (0-based) of {@code partition}'s local training, all earlier ones
         * trained into {@code model}; {@code reusedModel} when the model was taken from the executor's cache, built
         * by an earlier task.
         */
        default void beforeBatch(int partition, int batchesTrained, ResidentTrainingModel model, boolean reusedModel) {
        }

        /** After {@code partition}'s result was accepted on the round channel, before its task returns. */
        default void afterResultSent(int partition) {
        }
    }

    private static final Injector NONE = new Injector() {
    };
    private static volatile Injector injector = NONE;

    private TaskFaults() {
    }

    /** Makes {@code faults} act at the points of every task this JVM runs, until {@link #remove}. */
    public static void install(Injector faults) {
        injector = faults;
    }

    /** Removes the installed injector. */
    public static void remove() {
        injector = NONE;
    }

    static void beforeBatch(int partition, int batchesTrained, ResidentTrainingModel model, boolean reusedModel) {
        injector.beforeBatch(partition, batchesTrained, model, reusedModel);
    }

    static void afterResultSent(int partition) {
        injector.afterResultSent(partition);
    }
}
