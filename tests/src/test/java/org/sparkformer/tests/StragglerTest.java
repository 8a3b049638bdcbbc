package org.sparkformer.tests;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A straggler, a task that sleeps for five minutes as a stuck executor would, does not hold its round beyond the
 * straggler limit ({@code training.stragglerFactor} times the median of the round's finished tasks, at least
 * {@code training.stragglerMinSeconds}): it is killed and relaunched, and the run ends with the parameters and
 * optimizer state of a run without it.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class StragglerTest {

    /** Tasks that fell asleep; the tasks run in this JVM under the local master. */
    private static final AtomicInteger ASLEEP = new AtomicInteger();

    @Test
    void aSleepingTaskIsRelaunchedAtTheLimitAndTheRunIsBitIdentical() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null, "training.stragglerMinSeconds=2");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 13), 2);
        TrainingOutcome undisturbed = TestBed.trainDirectly(config, data, rdd -> rdd);

        long t0 = System.nanoTime();
        TrainingOutcome straggled = TestBed.trainDirectly(config, data, StragglerTest::sleepOnceInPartitionOne);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

        assertEquals(1, ASLEEP.get(), "one attempt fell asleep");
        assertTrue(seconds < 60, "the run took " + seconds + " s beside a task asleep for 300 s");
        assertArrayEquals(undisturbed.params(), straggled.params(), "parameters bit-identical");
        assertArrayEquals(undisturbed.optState(), straggled.optState(), "optimizer state bit-identical");
    }

    /** The first task attempt of partition 1 in the run sleeps for 300 s before it yields its data. */
    private static JavaRDD<EncodedSequence> sleepOnceInPartitionOne(JavaRDD<EncodedSequence> rdd) {
        return rdd.mapPartitionsWithIndex((partition, it) -> {
            if (partition == 1 && TaskContext.get().attemptNumber() == 0 && ASLEEP.compareAndSet(0, 1)) {
                Thread.sleep(300_000);
            }
            return it;
        }, true);
    }
}
