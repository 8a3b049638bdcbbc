package org.sparkformer.driver.listeners;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A {@link ConsoleProgress} bar over the Spark tasks that run while it is open, for long work on the executors whose
 * records the driver does not see, e.g. reading and tokenizing a large corpus:
 * {@code tokenize  [######------------------]  12/48 tasks  25%  ETA 1m30s}. The total grows as stages are submitted;
 * the ETA is the mean time per finished task times the tasks left. Without a terminal it registers nothing.
 *
 * <pre>{@code
 * try (TaskProgress p = TaskProgress.open(spark.sparkContext(), "tokenize")) {
 *     sequences.count();
 * }
 * }</pre>
 */
public final class TaskProgress implements AutoCloseable {

    private final SparkContext context;
    private final ConsoleProgress bar;
    private final Listener listener;

    private TaskProgress(SparkContext context, ConsoleProgress bar, String label) {
        this.context = context;
        this.bar = bar;
        this.listener = bar.active() ? new Listener(bar, label, System.nanoTime()) : null;
        if (listener != null) {
            context.addSparkListener(listener);
        }
    }

    /** A bar labelled {@code label} on the terminal, if there is one, until {@link #close()}. */
    public static TaskProgress open(SparkContext context, String label) {
        return new TaskProgress(context, ConsoleProgress.onTerminal(), label);
    }

    @Override
    public void close() {
        if (listener != null) {
            context.removeSparkListener(listener);
            listener.close();
        }
    }

    /** Counts the tasks of the stages submitted and finished, on Spark's listener thread. */
    private static final class Listener extends SparkListener {
        private final ConsoleProgress bar;
        private final String label;
        private final long start;
        private long total;
        private long done;
        private boolean closed;

        Listener(ConsoleProgress bar, String label, long start) {
            this.bar = bar;
            this.label = label;
            this.start = start;
        }

        /** Erases the bar; events still queued on the listener bus draw nothing after this. */
        synchronized void close() {
            closed = true;
            bar.clear();
        }

        @Override
        public synchronized void onStageSubmitted(SparkListenerStageSubmitted stage) {
            if (closed) {
                return;
            }
            total += stage.stageInfo().numTasks();
            bar.show(label, done, total, "tasks", 0);
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
            if (closed) {
                return;
            }
            if (task.taskInfo().successful()) {
                done++;
            }
            long elapsed = System.nanoTime() - start;
            long eta = done == 0 ? 0 : elapsed / done * Math.max(0, total - done);
            bar.show(label, done, total, "tasks", eta);
        }
    }
}
