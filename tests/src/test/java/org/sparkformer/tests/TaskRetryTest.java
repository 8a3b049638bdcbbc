package org.sparkformer.tests;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fault 1: a training task that fails on its first attempt is retried and changes nothing. */
@ExtendWith(FaultLedger.class)
@FaultScenarios(2)
class TaskRetryTest {

    /** Failures thrown so far (local mode: the tasks run in this JVM). */
    static final AtomicInteger THROWN = new AtomicInteger();

    @Test
    void taskFailingOnItsFirstAttemptEveryRoundGivesBitIdenticalParameters() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        JavaRDD<EncodedSequence> shards = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 1), 2).cache();

        TrainingOutcome undisturbed = TestBed.trainDirectly(config, shards, rdd -> rdd);
        THROWN.set(0);
        TrainingOutcome retried = TestBed.trainDirectly(config, shards,
                rdd -> rdd.mapPartitionsWithIndex(new FailFirstAttempt<>(1), true));

        assertEquals(undisturbed.rounds(), THROWN.get(), "partition 1 failed once in every round");
        assertEquals(4, retried.rounds());
        assertArrayEquals(undisturbed.params(), retried.params(), "parameters bit-identical after retries");
        assertArrayEquals(undisturbed.optState(), retried.optState(), "optimizer state bit-identical after retries");
        assertEquals(undisturbed.finalLoss(), retried.finalLoss());
        shards.unpersist();
    }

    /**
     * A later failure: the first attempt of partition 1 has read the round's parameters (into its executor's cached
     * model) and is reading its data when it dies; the retry starts again from the round's parameters.
     */
    @Test
    void taskFailingAfterReadingTheRoundsParametersEveryRoundGivesBitIdenticalParameters() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        JavaRDD<EncodedSequence> shards = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 1), 2).cache();

        TrainingOutcome undisturbed = TestBed.trainDirectly(config, shards, rdd -> rdd);
        THROWN.set(0);
        TrainingOutcome retried = TestBed.trainDirectly(config, shards,
                rdd -> rdd.mapPartitionsWithIndex(new FailFirstAttemptAfter<>(1, 12), true));

        assertEquals(undisturbed.rounds(), THROWN.get(), "partition 1 failed once, part-way through its data, in every round");
        assertArrayEquals(undisturbed.params(), retried.params(), "parameters bit-identical after retries");
        assertArrayEquals(undisturbed.optState(), retried.optState(), "optimizer state bit-identical after retries");
        shards.unpersist();
    }

    /**
     * Passes a partition through; on a task's first attempt of {@code partition}, throws when the trainer asks for
     * the record after the first {@code records} (the parameters are read by then).
     */
    record FailFirstAttemptAfter<T>(int partition, int records) implements Function2<Integer, Iterator<T>, Iterator<T>> {
        @Override
        public Iterator<T> call(Integer index, Iterator<T> data) {
            if (index != partition || TaskContext.get().attemptNumber() != 0) {
                return data;
            }
            return new Iterator<>() {
                private int served;

                @Override
                public boolean hasNext() {
                    return data.hasNext();
                }

                @Override
                public T next() {
                    if (served == records) {
                        THROWN.incrementAndGet();
                        throw new IllegalStateException("injected failure part-way through the data of partition " + index);
                    }
                    served++;
                    return data.next();
                }
            };
        }
    }

    /** Passes a partition through, but throws when {@code partition} is computed by a task's first attempt. */
    record FailFirstAttempt<T>(int partition) implements Function2<Integer, Iterator<T>, Iterator<T>> {
        @Override
        public Iterator<T> call(Integer index, Iterator<T> data) {
            if (index == partition && TaskContext.get().attemptNumber() == 0) {
                THROWN.incrementAndGet();
                throw new IllegalStateException("injected failure of the first attempt of partition " + index);
            }
            return data;
        }
    }
}
