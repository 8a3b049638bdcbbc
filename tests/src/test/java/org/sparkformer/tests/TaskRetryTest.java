package org.sparkformer.tests;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.executor.ResidentTrainingModel;
import org.sparkformer.driver.executor.TaskFaults;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault 1: a training task that fails on its first attempt is retried and changes nothing, wherever it fails: as its
 * input is opened, part-way through its data, after it trained some minibatches into the executor's cached model (and
 * with the retry on that very model), and after its result was accepted on the round channel.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(5)
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
     * Mid-training: the first attempt of partition 1 fails in every round after its first optimizer step, when that
     * step has already changed the parameters and optimizer state of the executor's model.
     */
    @Test
    void taskFailingAfterItsFirstOptimizerStepEveryRoundGivesBitIdenticalParameters() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        JavaRDD<EncodedSequence> shards = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 1), 2).cache();
        TrainingOutcome undisturbed = TestBed.trainDirectly(config, shards, rdd -> rdd);

        THROWN.set(0);
        TrainingOutcome retried = withFaults(new TaskFaults.Injector() {
            @Override
            public void beforeBatch(int partition, int batchesTrained, ResidentTrainingModel model, boolean reused) {
                if (partition == 1 && batchesTrained == 1 && TaskContext.get().attemptNumber() == 0) {
                    THROWN.incrementAndGet();
                    throw new IllegalStateException("injected failure of partition 1 after one optimizer step");
                }
            }
        }, () -> TestBed.trainDirectly(config, shards, rdd -> rdd));

        assertEquals(undisturbed.rounds(), THROWN.get(), "partition 1 failed after one of its two steps in every round");
        assertArrayEquals(undisturbed.params(), retried.params(), "parameters bit-identical after retries");
        assertArrayEquals(undisturbed.optState(), retried.optState(), "optimizer state bit-identical after retries");
        shards.unpersist();
    }

    /**
     * A failure on a cached executor model: the first attempt of partition 1, on a model an earlier task left in the
     * executor's cache, trains one minibatch and fails once partition 0 has handed its model back, so the model it
     * leaves half-trained is the one the cache gives the retry. The retry starts from the round's arrays all the same.
     */
    @Test
    void taskFailingOnACachedModelLeavesNothingBehindForTheRetryThatReusesThatModel() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        JavaRDD<EncodedSequence> shards = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 1), 2).cache();
        TrainingOutcome undisturbed = TestBed.trainDirectly(config, shards, rdd -> rdd);

        THROWN.set(0);
        AtomicInteger partitionZeroSent = new AtomicInteger();
        AtomicInteger partitionOneRounds = new AtomicInteger();
        AtomicReference<ResidentTrainingModel> leftHalfTrained = new AtomicReference<>();
        AtomicInteger retriesOnThatModel = new AtomicInteger();
        TrainingOutcome retried = withFaults(new TaskFaults.Injector() {
            @Override
            public void beforeBatch(int partition, int batchesTrained, ResidentTrainingModel model, boolean reused) {
                if (partition != 1) {
                    return;
                }
                int attempt = TaskContext.get().attemptNumber();
                if (attempt == 0 && batchesTrained == 1) {
                    awaitAtLeast(partitionZeroSent, partitionOneRounds.incrementAndGet());
                }
                if (attempt == 0 && reused && batchesTrained == 1) {
                    leftHalfTrained.set(model);
                    THROWN.incrementAndGet();
                    throw new IllegalStateException("injected failure of partition 1 on a cached model, one step in");
                }
                if (attempt > 0 && batchesTrained == 0 && reused && model == leftHalfTrained.get()) {
                    retriesOnThatModel.incrementAndGet();
                }
            }

            @Override
            public void afterResultSent(int partition) {
                if (partition == 0) {
                    partitionZeroSent.incrementAndGet();
                }
            }
        }, () -> TestBed.trainDirectly(config, shards, rdd -> rdd));

        assertTrue(THROWN.get() >= undisturbed.rounds() - 1, "failed on a cached model in " + THROWN.get() + " rounds");
        assertEquals(THROWN.get(), retriesOnThatModel.get(), "every retry ran on the model its failed attempt left");
        assertArrayEquals(undisturbed.params(), retried.params(), "parameters bit-identical after retries");
        assertArrayEquals(undisturbed.optState(), retried.optState(), "optimizer state bit-identical after retries");
        shards.unpersist();
    }

    /**
     * After the result was sent: the first attempt of partition 1 fails in every round once the round channel has
     * accepted its result. That first accepted result stays final: the retry's send is refused and counted, and the
     * retry's result comes through Spark.
     */
    @Test
    void taskFailingAfterItsResultWasAcceptedOnTheChannelGivesBitIdenticalParametersThroughSpark() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        JavaRDD<EncodedSequence> shards = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 1), 2).cache();
        ChannelCounts calm = new ChannelCounts();
        TrainingOutcome undisturbed = TestBed.trainDirectly(config, shards, rdd -> rdd, calm);
        assertEquals(2L * undisturbed.rounds(), calm.onChannel, "undisturbed: every result on the channel");
        assertEquals(0, calm.refused, "undisturbed: every launched attempt's result accepted");

        THROWN.set(0);
        ChannelCounts counts = new ChannelCounts();
        TrainingOutcome retried = withFaults(new TaskFaults.Injector() {
            @Override
            public void afterResultSent(int partition) {
                if (partition == 1 && TaskContext.get().attemptNumber() == 0) {
                    THROWN.incrementAndGet();
                    throw new IllegalStateException("injected failure of partition 1 after its result was sent");
                }
            }
        }, () -> TestBed.trainDirectly(config, shards, rdd -> rdd, counts));

        assertEquals(undisturbed.rounds(), THROWN.get(), "partition 1 failed after sending in every round");
        assertEquals(undisturbed.rounds(), counts.refused, "each retry's send refused: the first accepted is final");
        assertEquals(undisturbed.rounds(), counts.onChannel, "partition 0 on the channel, the retries through Spark");
        assertArrayEquals(undisturbed.params(), retried.params(), "parameters bit-identical after retries");
        assertArrayEquals(undisturbed.optState(), retried.optState(), "optimizer state bit-identical after retries");
        shards.unpersist();
    }

    /** The round channel's counts of a run. */
    static final class ChannelCounts implements TrainingListener {
        long onChannel;
        long refused;

        @Override
        public void onTrainEnd(TrainingState state) {
            onChannel = state.resultsOnChannel();
            refused = state.resultsRefused();
        }
    }

    /** Waits (at most a minute) until {@code count} reaches {@code value}: partition 0 has finished this round. */
    private static void awaitAtLeast(AtomicInteger count, int value) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (count.get() < value && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A run with {@code faults} acting in the round's tasks. */
    private interface Run {
        TrainingOutcome train() throws Exception;
    }

    private static TrainingOutcome withFaults(TaskFaults.Injector faults, Run run) throws Exception {
        TaskFaults.install(faults);
        try {
            return run.train();
        } finally {
            TaskFaults.remove();
        }
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
