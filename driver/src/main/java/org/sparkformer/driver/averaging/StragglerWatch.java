package org.sparkformer.driver.averaging;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches one round's tasks and relaunches a straggler as its {@link StragglerLimit} says: Spark's
 * {@code killTaskAttempt} ends the attempt (at its next minibatch, or at once when it waits) and Spark launches the
 * partition again. Logs one line for each relaunch.
 */
final class StragglerWatch extends JobGroupListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StragglerWatch.class);
    private static final long CHECK_MILLIS = 200;

    private record Running(int partition, long launchMillis) {
    }

    private final SparkContext sc;
    private final String label;
    private final int partitions;
    private final StragglerLimit limit;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final Map<Integer, Long> finishedMillis = new ConcurrentHashMap<>();
    private final Set<Integer> relaunched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService checks;

    private StragglerWatch(SparkContext sc, String jobGroup, String label, int partitions, StragglerLimit limit) {
        super(jobGroup);
        this.sc = sc;
        this.label = label;
        this.partitions = partitions;
        this.limit = limit;
        this.checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sparkformer-straggler-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching the jobs of {@code jobGroup}; null when the limit is off or the round has one partition. */
    static StragglerWatch start(SparkContext sc, String jobGroup, String label, int partitions, StragglerLimit limit) {
        if (!limit.on() || partitions < 2) {
            return null;
        }
        StragglerWatch watch = new StragglerWatch(sc, jobGroup, label, partitions, limit);
        sc.addSparkListener(watch);
        watch.checks.scheduleWithFixedDelay(watch::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Partitions relaunched so far. */
    int relaunches() {
        return relaunched.size();
    }


    @Override
    public void onTaskStart(SparkListenerTaskStart taskStart) {
        if (inGroup(taskStart.stageId())) {
            TaskInfo info = taskStart.taskInfo();
            running.put(info.taskId(), new Running(info.index(), info.launchTime()));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (inGroup(taskEnd.stageId())) {
            TaskInfo info = taskEnd.taskInfo();
            running.remove(info.taskId());
            if (info.successful()) {
                finishedMillis.putIfAbsent(info.index(), info.duration());
            }
        }
    }

    private void check() {
        try {
            if (finishedMillis.size() * 2 < partitions) {
                return;
            }
            List<Long> durations = new ArrayList<>(finishedMillis.values());
            Collections.sort(durations);
            long median = durations.get(durations.size() / 2);
            long allowed = limit.limitMillis(median);
            long now = System.currentTimeMillis();
            running.forEach((taskId, task) -> {
                long ran = now - task.launchMillis();
                if (ran > allowed && !finishedMillis.containsKey(task.partition()) && relaunched.add(task.partition())) {
                    LOG.warn("{}: partition {} (task {}) has run {} s, more than {} x the {} s median of the round's {}"
                                    + " finished tasks and at least {} s (training.stragglerFactor,"
                                    + " training.stragglerMinSeconds); relaunching it once", label, task.partition(),
                            taskId, seconds(ran), limit.factor(), seconds(median), durations.size(),
                            seconds(limit.minMillis()));
                    sc.killTaskAttempt(taskId, true, "straggler: relaunched after " + seconds(ran) + " s");
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: the straggler watch stopped: {}", label, e.toString());
            checks.shutdown();
        }
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
    }

    @Override
    public void close() {
        checks.shutdownNow();
        sc.removeSparkListener(this);
    }
}
