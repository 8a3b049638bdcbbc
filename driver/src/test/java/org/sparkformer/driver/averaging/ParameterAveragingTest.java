package org.sparkformer.driver.averaging;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.executor.ChannelProtocol;
import org.sparkformer.driver.executor.ExecutorModelCache;
import org.sparkformer.driver.executor.PartialResult;
import org.sparkformer.driver.executor.PartitionTrainer;
import org.sparkformer.driver.executor.Seeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterAveragingTest {

    private static final int PARAMS = 1000;
    private static final int STATE = 10;
    /** Failures injected so far; tasks run in this JVM under the local master. */
    private static final java.util.concurrent.atomic.AtomicInteger INJECTED = new java.util.concurrent.atomic.AtomicInteger();

    /** Each element is one example; partition p gets p+1 examples except where a test empties it. */
    private static JavaRDD<Integer> shards(int partitions, int... emptyPartitions) {
        List<Integer> data = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            final int part = p;
            if (IntStream.of(emptyPartitions).anyMatch(e -> e == part)) {
                continue;
            }
            for (int i = 0; i <= p; i++) {
                data.add(p);
            }
        }
        return TestClusters.jsc().parallelize(data, 1)
                .mapToPair(p -> new scala.Tuple2<>(p, p))
                .partitionBy(new IdentityPartitioner(partitions))
                .values();
    }

    /** Puts key p in partition p. */
    private static final class IdentityPartitioner extends org.apache.spark.Partitioner {
        private final int n;

        IdentityPartitioner(int n) {
            this.n = n;
        }

        @Override
        public int numPartitions() {
            return n;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }
    }

    private static float[] initial(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.sin(i) * scale;
        }
        return a;
    }

    /** Pure arithmetic "training": params + delta(p, i, seed); sleeps to shape task finishing order. */
    private record FakeTrainer(long[] sleepMillisByPartition, boolean failFirstAttempt) implements PartitionTrainer<Integer> {

        static float delta(int partition, int i) {
            return (float) ((partition + 1) * 0.1 + Math.cos(i * (partition + 1)) * 1e-3);
        }

        @Override
        public PartialResult train(int partition, Iterator<Integer> data, float[] params, Supplier<float[]> startState,
                                   long seed) throws Exception {
            if (failFirstAttempt && TaskContext.get().attemptNumber() == 0 && partition == 1) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure on first attempt");
            }
            long examples = 0;
            while (data.hasNext()) {
                data.next();
                examples++;
            }
            Thread.sleep(sleepMillisByPartition.length > partition ? sleepMillisByPartition[partition] : 0);
            float[] optState = startState.get();
            for (int i = 0; i < params.length; i++) {
                params[i] += delta(partition, i);
            }
            for (int i = 0; i < optState.length; i++) {
                optState[i] = optState[i] * 0.5f + partition;
            }
            return new PartialResult(examples, params, optState, examples * 2.0 * (partition + 1), examples, examples * 7);
        }
    }

    @Test
    void averageEqualsTheWeightedMeanComputedByHand() {
        float[] params = initial(PARAMS, 1);
        float[] state = initial(STATE, 2);
        RoundResult r = ParameterAveraging.round(shards(3), params, state, new FakeTrainer(new long[0], false), 0, 3, 7L);

        // partitions 0,1,2 hold 1,2,3 examples
        for (int i = 0; i < PARAMS; i++) {
            double expected = (1.0 * (params[i] + FakeTrainer.delta(0, i)) + 2.0 * (params[i] + FakeTrainer.delta(1, i))
                    + 3.0 * (params[i] + FakeTrainer.delta(2, i))) / 6.0;
            assertEquals(expected, r.params()[i], 1e-6, "param " + i);
        }
        for (int i = 0; i < STATE; i++) {
            double expected = (1.0 * (state[i] * 0.5f) + 2.0 * (state[i] * 0.5f + 1) + 3.0 * (state[i] * 0.5f + 2)) / 6.0;
            assertEquals(expected, r.optState()[i], 1e-6, "state " + i);
        }
        assertEquals(6, r.examples());
        assertEquals(3, r.partitionsWithData());
        assertEquals((1 * 2.0 + 2 * 4.0 + 3 * 6.0) / 6, r.meanLoss(), 1e-12);
        assertEquals(42, r.tokens());
        assertArrayEquals(initial(PARAMS, 1), params, "input parameters are not modified");
    }

    @Test
    void resultIsBitIdenticalWhenTasksFinishInReverseOrder() {
        float[] params = initial(PARAMS, 3);
        float[] state = initial(STATE, 1);
        RoundResult forward = ParameterAveraging.round(shards(4), params, state,
                new FakeTrainer(new long[]{0, 100, 200, 300}, false), 2, 11L);
        RoundResult reverse = ParameterAveraging.round(shards(4), params, state,
                new FakeTrainer(new long[]{300, 200, 100, 0}, false), 2, 11L);
        assertTrue(Arrays.equals(forward.params(), reverse.params()));
        assertTrue(Arrays.equals(forward.optState(), reverse.optState()));
        assertEquals(forward.lossSum(), reverse.lossSum());
    }

    @Test
    void emptyPartitionsCarryZeroWeight() {
        float[] params = initial(PARAMS, 1);
        float[] state = initial(STATE, 1);
        RoundResult withEmpty = ParameterAveraging.round(shards(4, 0, 2), params, state, new FakeTrainer(new long[0], false), 0, 1L);
        assertEquals(2 + 4, withEmpty.examples());
        assertEquals(2, withEmpty.partitionsWithData());
        for (int i = 0; i < PARAMS; i++) {
            double expected = (2.0 * (params[i] + FakeTrainer.delta(1, i)) + 4.0 * (params[i] + FakeTrainer.delta(3, i))) / 6.0;
            assertEquals(expected, withEmpty.params()[i], 1e-6);
            assertFalse(Float.isNaN(withEmpty.params()[i]));
        }
    }

    @Test
    void roundWithNoDataLeavesParametersUnchanged() {
        float[] params = initial(PARAMS, 1);
        float[] state = initial(STATE, 1);
        RoundResult r = ParameterAveraging.round(shards(3, 0, 1, 2), params, state, new FakeTrainer(new long[0], false), 0, 1L);
        assertArrayEquals(params, r.params());
        assertArrayEquals(state, r.optState());
        assertEquals(0, r.examples());
        assertTrue(Double.isNaN(r.meanLoss()));
    }

    @Test
    void retriedTaskGivesTheSameBitsAsARunWithoutFailure() {
        float[] params = initial(PARAMS, 2);
        float[] state = initial(STATE, 2);
        RoundResult clean = ParameterAveraging.round(shards(3), params, state, new FakeTrainer(new long[0], false), 5, 99L);
        int before = INJECTED.get();
        RoundResult retried = ParameterAveraging.round(shards(3), params, state, new FakeTrainer(new long[0], true), 5, 99L);
        assertEquals(before + 1, INJECTED.get(), "exactly one attempt failed and was retried");
        assertTrue(Arrays.equals(clean.params(), retried.params()));
        assertTrue(Arrays.equals(clean.optState(), retried.optState()));
    }

    /** First attempts of partition 1 that started to straggle. */
    private static final java.util.concurrent.atomic.AtomicInteger STRAGGLED =
            new java.util.concurrent.atomic.AtomicInteger();

    /** A {@link FakeTrainer} whose partition 1 sleeps for two minutes on its first attempt, as a stuck executor. */
    private record StragglingTrainer(FakeTrainer inner) implements PartitionTrainer<Integer> {
        @Override
        public PartialResult train(int partition, Iterator<Integer> data, float[] params, Supplier<float[]> startState,
                                   long seed) throws Exception {
            if (partition == 1 && TaskContext.get().attemptNumber() == 0) {
                STRAGGLED.incrementAndGet();
                Thread.sleep(120_000);
            }
            return inner.train(partition, data, params, startState, seed);
        }
    }

    @Test
    void aStragglingTaskIsRelaunchedAtTheLimitAndTheRoundGivesTheSameBits() {
        float[] params = initial(PARAMS, 5);
        float[] state = initial(STATE, 5);
        RoundResult clean = ParameterAveraging.round(shards(3), params, state, new FakeTrainer(new long[0], false), 2, 3,
                11L, StragglerLimit.OFF);
        int before = STRAGGLED.get();
        long t0 = System.nanoTime();
        RoundResult relaunched = ParameterAveraging.round(shards(3), params, state,
                new StragglingTrainer(new FakeTrainer(new long[0], false)), 2, 3, 11L, new StragglerLimit(4, 1_000));
        long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(before + 1, STRAGGLED.get(), "the first attempt of partition 1 straggled, the relaunch did not");
        assertTrue(millis >= 1_000 && millis < 30_000, "the round took " + millis + " ms beside a 120 s straggler");
        assertArrayEquals(clean.params(), relaunched.params());
        assertArrayEquals(clean.optState(), relaunched.optState());
        assertEquals(clean.examples(), relaunched.examples());
    }

    @Test
    void aStragglerLimitBelowOneOrNegativeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StragglerLimit(0.5, 1_000));
        assertThrows(IllegalArgumentException.class, () -> new StragglerLimit(4, -1));
        assertFalse(StragglerLimit.OFF.on());
        assertEquals(60_000, new StragglerLimit(4, 60_000).limitMillis(100), "never before the minimum");
        assertEquals(400_000, new StragglerLimit(4, 60_000).limitMillis(100_000), "4 x the median above it");
    }

    @Test
    void theRoundChannelAndSparksOwnPathsGiveTheSameBits() {
        float[] params = initial(PARAMS, 4);
        float[] state = initial(STATE, 4);
        RoundResult direct = ParameterAveraging.round(shards(3), params, state, new FakeTrainer(new long[0], false), 1, 9L);
        RoundResult throughSpark;
        TestClusters.jsc().setLocalProperty(ChannelProtocol.MODE_KEY, "spark");
        try {
            throughSpark = ParameterAveraging.round(shards(3), params, state, new FakeTrainer(new long[0], true), 1, 9L);
        } finally {
            TestClusters.jsc().setLocalProperty(ChannelProtocol.MODE_KEY, null);
        }
        assertEquals(3, direct.resultsOnChannel(), "every result came back on the round channel");
        assertEquals(0, throughSpark.resultsOnChannel(), "none did with the channel off");
        assertTrue(Arrays.equals(direct.params(), throughSpark.params()));
        assertTrue(Arrays.equals(direct.optState(), throughSpark.optState()));
        assertEquals(direct.examples(), throughSpark.examples());
    }

    @Test
    void seedsDependOnJobRoundAndPartition() {
        long s = Seeds.forPartition(1, 0, 0);
        assertNotEquals(s, Seeds.forPartition(2, 0, 0));
        assertNotEquals(s, Seeds.forPartition(1, 1, 0));
        assertNotEquals(s, Seeds.forPartition(1, 0, 1));
        assertNotEquals(Seeds.forPartition(1, 1, 0), Seeds.forPartition(1, 0, 1));
        assertEquals(s, Seeds.forPartition(1, 0, 0));
    }

    @Test
    void trainerSeesTheSeedOfItsRoundAndPartition() {
        PartitionTrainer<Integer> seedEcho = (partition, data, params, optState, seed) -> {
            long n = 0;
            while (data.hasNext()) {
                data.next();
                n++;
            }
            Arrays.fill(params, seed == Seeds.forPartition(5L, 3, partition) ? 1f : -1f);
            return new PartialResult(n, params, optState.get(), 0, 0, 0);
        };
        RoundResult r = ParameterAveraging.round(shards(2), new float[4], new float[0], seedEcho, 3, 5L);
        assertArrayEquals(new float[]{1, 1, 1, 1}, r.params());
    }

    @Test
    void modelCacheReusesAModelAcrossLeases() {
        String key = "test-model-" + System.nanoTime();
        try (ExecutorModelCache.Lease<StringBuilder> a = ExecutorModelCache.lease(key, StringBuilder.class, StringBuilder::new)) {
            assertFalse(a.reused());
            try (ExecutorModelCache.Lease<StringBuilder> b = ExecutorModelCache.lease(key, StringBuilder.class, StringBuilder::new)) {
                assertFalse(b.reused(), "a model in use is never shared");
                assertNotEquals(System.identityHashCode(a.model()), System.identityHashCode(b.model()));
            }
        }
        assertEquals(2, ExecutorModelCache.idleCount(key));
        try (ExecutorModelCache.Lease<StringBuilder> c = ExecutorModelCache.lease(key, StringBuilder.class, StringBuilder::new)) {
            assertTrue(c.reused());
        }
        ExecutorModelCache.retainOnly("other");
        assertEquals(0, ExecutorModelCache.idleCount(key));
    }
}
