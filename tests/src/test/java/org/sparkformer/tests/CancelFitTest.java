package org.sparkformer.tests;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.api.PretrainResult;
import org.sparkformer.driver.api.Pretrainer;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.kernels.host.HostThreads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault 10: fit() cancelled from another thread, as a notebook's stop button does. */
@ExtendWith(FaultLedger.class)
@FaultScenarios(2)
class CancelFitTest {

    @TempDir
    Path tmp;

    @Test
    void cancellingFitLeavesNoJobsThreadsOrCachedDataBehindAndTheNextFitWorks() throws Exception {
        SparkContext sc = TestBed.spark().sparkContext();
        Path corpus = TestBed.corpusSlice(tmp.resolve("corpus.txt"), 60);
        SparkformerConfig longRun = TestBed.tinyConfig(corpus.toString(), "training.epochs=50", "training.checkpointEvery=0");
        int lastRddBefore = sc.parallelize(scala.jdk.javaapi.CollectionConverters.asScala(List.of(1)).toSeq(), 1,
                scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).id();

        CountDownLatch roundStarted = new CountDownLatch(1);
        SparkListener watcher = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
                if (group != null && group.equals("sparkformer-round-3")) {
                    roundStarted.countDown();
                }
            }
        };
        sc.addSparkListener(watcher);
        CompletableFuture<PretrainResult> fit = CompletableFuture.supplyAsync(() -> {
            try {
                return new Pretrainer(TestBed.spark(), longRun).fit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(roundStarted.await(3, TimeUnit.MINUTES), "training reached round 3");
            sc.cancelAllJobs();
            ExecutionException e = assertThrows(ExecutionException.class, () -> fit.get(60, TimeUnit.SECONDS));
            assertTrue(causes(e).toLowerCase(Locale.ROOT).contains("cancel"), "fails as cancelled: " + causes(e));
        } finally {
            sc.removeSparkListener(watcher);
        }

        // The status tracker learns of a job's end from Spark's listener bus, a moment after fit() has seen it fail.
        assertEquals(0, activeJobsAfterSettling(sc), "no job left running");
        assertEquals(Set.of(), sparkformerThreads(), "no sparkformer threads left");
        assertTrue(hostLoopThreads() <= HostThreads.threads() - 1, "the kernels' host-loop pool stays at its fixed size");
        assertEquals(List.of(), cachedSince(sc, lastRddBefore), "no cached data left");

        SparkformerConfig shortRun = TestBed.tinyConfig(corpus.toString(), "training.epochs=1", "training.checkpointEvery=0");
        PretrainResult again = new Pretrainer(TestBed.spark(), shortRun).fit();
        assertTrue(Double.isFinite(again.outcome().finalLoss()), "the next fit trains");
        assertEquals(List.of(), cachedSince(sc, lastRddBefore), "a finished fit leaves no cached data either");
    }

    @Test
    void aFineTuningThatFailsMidwayLeavesNoCachedDataBehind() throws Exception {
        SparkContext sc = TestBed.spark().sparkContext();
        Path sample = TestBed.repositoryRoot().resolve("conf/sample-data/wordnet");
        Path train = tmp.resolve("train.tsv");
        List<String> all = Files.readAllLines(sample.resolve("pos.train.tsv"));
        Files.write(train, IntStream.range(0, all.size()).filter(i -> i % 25 == 0).mapToObj(all::get).toList());
        Path validation = tmp.resolve("validation.tsv");
        Files.write(validation, List.of("noun\ta small dog", "verb\tto run fast", "a line with no label column"));
        SparkformerConfig config = TestBed.tinyConfig(null, "data.trainPath=" + train, "data.validationPath=" + validation,
                "data.format=tsv", "data.task=sequence", "training.epochs=1", "training.checkpointEvery=0");
        int lastRddBefore = sc.parallelize(scala.jdk.javaapi.CollectionConverters.asScala(List.of(1)).toSeq(), 1,
                scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).id();

        Exception e = assertThrows(Exception.class, () -> new FineTuner(TestBed.spark(), config).fit());

        assertTrue(causes(e).contains("validation.tsv:3"), "names the bad validation record: " + causes(e));
        assertEquals(List.of(), cachedSince(sc, lastRddBefore), "no cached data left");
    }

    /** Active jobs once the listener bus has delivered what is queued, waiting at most 30 s for them to end. */
    private static int activeJobsAfterSettling(SparkContext sc) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int active = sc.statusTracker().getActiveJobIds().length;
        while (active > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            active = sc.statusTracker().getActiveJobIds().length;
        }
        return active;
    }

    /** RDDs created after {@code lastId} that are still persisted. */
    private static List<String> cachedSince(SparkContext sc, int lastId) {
        return scala.jdk.javaapi.CollectionConverters.asJava(sc.getPersistentRDDs()).values().stream()
                .filter(rdd -> rdd.id() > lastId).map(Object::toString).toList();
    }

    /** Live threads of ours, apart from the kernels' process-wide host-loop pool (fixed size, made once). */
    private static Set<String> sparkformerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.toLowerCase(Locale.ROOT).contains("sparkformer") && !n.startsWith(HostThreads.THREAD_PREFIX)
                        && !n.equals("sparkformer-channel-watchdog"))   // one shared daemon per JVM, like the host pool
                .collect(Collectors.toSet());
    }

    private static long hostLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(HostThreads.THREAD_PREFIX)).count();
    }

    private static String causes(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
        }
        return s.toString();
    }
}
