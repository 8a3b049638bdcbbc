package org.sparkformer.bench;

import org.apache.spark.Success$;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spark's own timing of the benchmark's round tasks, taken from the listener bus: where a round's time outside local
 * training goes. Jobs are matched to rounds through the local property {@link #ROUND_PROPERTY}, which the probe sets
 * before each round. Times are the driver's and executors' milliseconds as Spark records them.
 */
final class TaskTimeline extends SparkListener {

    /** Local property holding the benchmark's round tag. */
    static final String ROUND_PROPERTY = "sparkformer.bench.round";

    /**
     * One finished task.
     *
     * @param jobStartMs          when the driver submitted the round's job
     * @param launchMs            when the driver launched the task
     * @param finishMs            when the driver had the task's result decoded
     * @param deserializeMs       executor: decoding the task (closure, partition)
     * @param runMs               executor: running the task body (reading the starting arrays, training, sending the result)
     * @param resultSerializeMs   executor: serializing the result
     */
    record Task(int roundTag, int partition, long jobStartMs, long launchMs, long finishMs, long deserializeMs,
                long runMs, long resultSerializeMs) {

        /** From launch to the decoded result, less the executor's own parts: moving the task and its result. */
        long deliveryMs() {
            return finishMs - launchMs - deserializeMs - runMs - resultSerializeMs;
        }
    }

    private final Map<Integer, Integer> stageRound = new ConcurrentHashMap<>();
    private final Map<Integer, Long> stageJobStart = new ConcurrentHashMap<>();
    private final List<Task> tasks = new ArrayList<>();

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        Properties properties = jobStart.properties();
        String tag = properties == null ? null : properties.getProperty(ROUND_PROPERTY);
        if (tag == null) {
            return;
        }
        scala.collection.Iterator<Object> stages = jobStart.stageIds().iterator();
        while (stages.hasNext()) {
            int stage = (Integer) stages.next();
            stageRound.put(stage, Integer.parseInt(tag));
            stageJobStart.put(stage, jobStart.time());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        Integer tag = stageRound.get(taskEnd.stageId());
        TaskMetrics metrics = taskEnd.taskMetrics();
        if (tag == null || metrics == null || !Success$.MODULE$.equals(taskEnd.reason())) {
            return;
        }
        TaskInfo info = taskEnd.taskInfo();
        Task task = new Task(tag, info.index(), stageJobStart.get(taskEnd.stageId()), info.launchTime(),
                info.finishTime(), metrics.executorDeserializeTime(), metrics.executorRunTime(),
                metrics.resultSerializationTime());
        synchronized (tasks) {
            tasks.add(task);
            tasks.notifyAll();
        }
    }

    /** The task of round {@code roundTag} on {@code partition}, waiting up to 30 s for the listener bus to deliver it. */
    Task await(int roundTag, int partition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        synchronized (tasks) {
            while (true) {
                for (Task t : tasks) {
                    if (t.roundTag() == roundTag && t.partition() == partition) {
                        return t;
                    }
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException("Spark reported no finished task for round tag " + roundTag
                            + ", partition " + partition + " within 30 s");
                }
                try {
                    tasks.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for task timings", e);
                }
            }
        }
    }
}
