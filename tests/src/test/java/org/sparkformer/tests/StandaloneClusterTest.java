package org.sparkformer.tests;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.training.TrainingOutcome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults 2 and 11 on a real multi-JVM standalone cluster (Master and two Workers in child JVMs, auth and
 * RPC encryption on): an executor JVM killed mid-round, with the round's arrays on Spark's paths and on the driver's
 * round channel, and a client without the secret.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {

    private static TestBed.StandaloneCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.stopSpark();
        cluster = TestBed.startStandaloneCluster();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void executorKilledMidRoundIsReplacedAndTheRunIsBitIdentical() throws Exception {
        assertAnExecutorKilledMidRoundChangesNothing("auto");
    }

    /** As above, with the round's arrays on the driver's round channel, which a secured cluster leaves off by default. */
    @Test
    @Order(1)
    void executorKilledMidRoundChangesNothingWhenArraysTravelOnTheRoundChannel() throws Exception {
        assertAnExecutorKilledMidRoundChangesNothing("direct");
    }

    private void assertAnExecutorKilledMidRoundChangesNothing(String channel) throws Exception {
        SparkSession spark = cluster.session(true).getOrCreate();
        try {
            spark.sparkContext().setLocalProperty("spark.sparkformer.channel", channel);
            SparkformerConfig config = TestBed.tinyConfig(null);
            JavaRDD<EncodedSequence> data = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(TestBed.syntheticSequences(64, 7), 2);
            TrainingOutcome undisturbed = TestBed.trainDirectly(config, data, rdd -> rdd);

            Path marker = tmp.resolve("executor-halted");
            ChannelUse use = new ChannelUse();
            TrainingOutcome survived = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> TestBed.trainDirectly(config,
                    data, rdd -> rdd.mapPartitionsWithIndex(new HaltOnce<>(1, marker.toString()), true), use));
            if (channel.equals("direct")) {
                assertTrue(use.results > 0, "results came back on the round channel");
            } else {
                assertEquals(0, use.results, "a secured cluster keeps the round channel off under 'auto'");
            }

            assertTrue(Files.exists(marker), "an executor JVM was halted during a round");
            assertArrayEquals(undisturbed.params(), survived.params(), "parameters bit-identical");
            assertArrayEquals(undisturbed.optState(), survived.optState(), "optimizer state bit-identical");
        } finally {
            spark.sparkContext().setLocalProperty("spark.sparkformer.channel", null);
            spark.stop();
        }
    }

    /** Results that came back on the round channel during a run. */
    static final class ChannelUse implements org.sparkformer.driver.listeners.TrainingListener {
        long results;

        @Override
        public void onRoundEnd(org.sparkformer.driver.listeners.TrainingState state) {
            results = state.resultsOnChannel();
        }
    }

    /** Runs last: a refused client leaves a half-started context behind, which is then forgotten. */
    @Test
    @Order(2)
    void clusterRefusesAClientWithoutTheSecret() {
        Exception refused = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> assertThrows(Exception.class, () -> {
            SparkSession spark = cluster.session(false).getOrCreate();
            try {
                spark.range(4).count();
            } finally {
                spark.stop();
            }
        }));
        assertTrue(refused.getMessage() != null, "refused: " + refused);
        TestBed.forgetSpark();
    }

    /**
     * Halts the executor JVM the first time {@code partition} is computed anywhere (the marker file, on
     * this machine's disk, makes it once per test), as a crash or an OOM kill would.
     */
    record HaltOnce<T>(int partition, String marker) implements Function2<Integer, Iterator<T>, Iterator<T>> {
        @Override
        public Iterator<T> call(Integer index, Iterator<T> data) throws Exception {
            if (index == partition && TaskContext.get() != null) {
                try {
                    Files.createFile(Path.of(marker));
                } catch (java.nio.file.FileAlreadyExistsException done) {
                    return data;
                }
                Runtime.getRuntime().halt(137);
            }
            return data;
        }
    }
}
