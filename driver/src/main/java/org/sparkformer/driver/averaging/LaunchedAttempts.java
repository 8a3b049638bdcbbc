package org.sparkformer.driver.averaging;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The task attempts Spark's scheduler launched for one round's job, by partition, as its listener events report them:
 * the {@link RoundChannel} takes a result only from an attempt launched for that partition that has not ended. Spark
 * delivers these events on its listener bus, a little after the launch; a result from an attempt not reported yet is
 * waited for up to {@link #EVENT_WAIT_MS}, and refused after that (a genuine task then sends through Spark, so a late
 * event costs speed, never a result).
 */
final class LaunchedAttempts extends JobGroupListener implements AutoCloseable {

    /** How long a result waits for its attempt's launch to be reported. */
    static final long EVENT_WAIT_MS = 3_000;

    private final SparkContext sc;
    private final long waitMs;
    /** Running attempt -> its partition; guarded by this. */
    private final Map<Long, Integer> running = new HashMap<>();
    /** Attempts that ended; guarded by this. */
    private final Set<Long> ended = new HashSet<>();

    private LaunchedAttempts(SparkContext sc, String jobGroup, long waitMs) {
        super(jobGroup);
        this.sc = sc;
        this.waitMs = waitMs;
    }

    /** Follows the tasks of the jobs run in {@code jobGroup} on {@code sc} until closed. */
    static LaunchedAttempts listen(SparkContext sc, String jobGroup) {
        LaunchedAttempts attempts = new LaunchedAttempts(sc, jobGroup, EVENT_WAIT_MS);
        sc.addSparkListener(attempts);
        return attempts;
    }

    /** Attempts reported by {@link #launched} and {@link #ended} alone, without waiting (a channel tested alone). */
    static LaunchedAttempts reportedByHand() {
        return new LaunchedAttempts(null, null, 0);
    }

    /** Records that {@code attempt} (Spark's task attempt id) was launched for {@code partition}. */
    synchronized void launched(int partition, long attempt) {
        if (!ended.contains(attempt)) {
            running.put(attempt, partition);
        }
        notifyAll();
    }

    /** Records that {@code attempt} ended, however it ended. */
    synchronized void ended(long attempt) {
        running.remove(attempt);
        ended.add(attempt);
        notifyAll();
    }

    /**
     * Whether {@code attempt} is a running attempt of {@code partition}, waiting for its launch to be reported when it
     * is not yet known; false at once for an attempt that ended or runs another partition.
     */
    synchronized boolean running(int partition, long attempt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (!running.containsKey(attempt) && !ended.contains(attempt)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        Integer of = running.get(attempt);
        return of != null && of == partition;
    }


    @Override
    public void onTaskStart(SparkListenerTaskStart taskStart) {
        if (inGroup(taskStart.stageId())) {
            launched(taskStart.taskInfo().index(), taskStart.taskInfo().taskId());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (inGroup(taskEnd.stageId())) {
            ended(taskEnd.taskInfo().taskId());
        }
    }

    @Override
    public void close() {
        if (sc != null) {
            sc.removeSparkListener(this);
        }
    }
}
