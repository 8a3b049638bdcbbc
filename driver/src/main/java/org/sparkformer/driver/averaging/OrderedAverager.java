package org.sparkformer.driver.averaging;

import org.sparkformer.driver.executor.PackedFloats;
import org.sparkformer.driver.executor.PartitionOutcome;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Sums partition results into double accumulators strictly in partition-id order, whatever order they
 * arrive in: results that arrive early wait until every lower id has been added. The sums, and so the
 * average, are therefore bit-identical across task orders and retries. Holds at most the out-of-order
 * results in memory.
 *
 * <p>Adds done while other tasks still run overlap with them and use one thread. Once every partition has arrived, the
 * rest is the round's critical path and runs over slices of the arrays on several threads: each value is still summed
 * over the partitions in the same order, so the result does not depend on the number of threads.
 */
final class OrderedAverager {

    private final float[] initialParams;
    private final float[] initialState;
    /** Allocated at the first add, which in a round of several tasks overlaps with the others' training. */
    private double[] paramSum;
    private double[] stateSum;
    private final Map<Integer, PartitionOutcome> waiting = new HashMap<>();
    private final int partitions;
    private final int threads;
    private int arrived;
    private int next;
    private long weight;
    private double lossSum;
    private long lossTerms;
    private long tokens;
    private int withData;
    private long taskNanos;
    private long busyNanos;

    /** Averages {@code partitions} results of arrays shaped like {@code params} and {@code optState}. */
    OrderedAverager(float[] params, float[] optState, int partitions) {
        this(params, optState, partitions, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** As above, with {@code threads} threads for the work left once every partition has arrived. */
    OrderedAverager(float[] params, float[] optState, int partitions, int threads) {
        this.partitions = partitions;
        this.threads = Math.max(1, threads);
        this.initialParams = params;
        this.initialState = optState;
    }

    /** Accepts one partition's outcome; adds it and any waiting successors when its turn has come. */
    void accept(PartitionOutcome outcome) {
        long start = System.nanoTime();
        if (waiting.put(outcome.partition(), outcome) != null || outcome.partition() < next) {
            throw new IllegalStateException("partition " + outcome.partition() + " reported twice");
        }
        arrived++;
        int slices = arrived == partitions ? threads : 1;
        while (waiting.containsKey(next)) {
            add(waiting.remove(next), slices);
            next++;
        }
        busyNanos += System.nanoTime() - start;
    }

    private void add(PartitionOutcome o, int slices) {
        taskNanos += o.computeNanos();
        if (o.weight() == 0) {
            return;
        }
        PackedFloats arrays = o.arrays();
        requireShape(o.partition(), "params", arrays, 0, initialParams.length);
        requireShape(o.partition(), "optimizer state", arrays, 1, initialState.length);
        if (paramSum == null) {
            paramSum = new double[initialParams.length];
            stateSum = new double[initialState.length];
        }
        double w = o.weight();
        addWeighted(o.partition(), "params", arrays, 0, w, paramSum, slices);
        addWeighted(o.partition(), "optimizer state", arrays, 1, w, stateSum, slices);
        weight += o.weight();
        lossSum += o.lossSum();
        lossTerms += o.lossTerms();
        tokens += o.tokens();
        withData++;
    }

    private static void requireShape(int partition, String what, PackedFloats arrays, int index, int expected) {
        if (arrays == null || arrays.count() != 2 || arrays.length(index) != expected) {
            throw new IllegalStateException("partition " + partition + " returned " + what + " of length "
                    + (arrays == null || arrays.count() != 2 ? "null" : arrays.length(index)) + ", expected " + expected);
        }
    }

    /** {@code sum[i] += w * values[i]}, read straight from the packed bytes in chunks, over {@code slices} threads. */
    private static void addWeighted(int partition, String what, PackedFloats arrays, int index, double w, double[] sum,
                                    int slices) {
        inSlices(sum.length, slices, (from, to) -> arrays.forEachChunk(index, from, to, (chunk, offset, n) -> {
            for (int j = 0; j < n; j++) {
                float v = chunk[j];
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("partition " + partition + " returned non-finite " + what
                            + " at index " + (offset + j) + " (" + v + "): local training diverged");
                }
                sum[offset + j] += w * v;
            }
        }));
    }

    /** The weighted mean; the inputs unchanged when no partition had data. */
    RoundResult finish(long broadcastNanos, long jobNanos, int resultsOnChannel, int resultsRefused) {
        long start = System.nanoTime();
        if (next != partitions || !waiting.isEmpty()) {
            throw new IllegalStateException("averaged " + next + " of " + partitions + " partitions");
        }
        float[] params = weight == 0 ? initialParams.clone() : divide(paramSum, weight, threads);
        float[] state = weight == 0 ? initialState.clone() : divide(stateSum, weight, threads);
        long aggregate = busyNanos + System.nanoTime() - start;
        return new RoundResult(params, state, weight, lossSum, lossTerms, tokens, partitions, withData, broadcastNanos,
                Math.max(0, jobNanos - busyNanos), aggregate, taskNanos, resultsOnChannel,
                resultsRefused);
    }

    private static float[] divide(double[] sum, long weight, int slices) {
        float[] out = new float[sum.length];
        double w = weight;
        inSlices(sum.length, slices, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = (float) (sum[i] / w);
            }
        });
        return out;
    }

    /** Runs {@code work} over {@code slices} contiguous slices of {@code [0, length)}, in parallel when more than one. */
    private static void inSlices(int length, int slices, SliceWork work) {
        int n = length < (1 << 16) ? 1 : slices;
        if (n == 1) {
            work.run(0, length);
            return;
        }
        IntStream.range(0, n).parallel().forEach(s -> work.run((int) ((long) length * s / n),
                (int) ((long) length * (s + 1) / n)));
    }

    @FunctionalInterface
    private interface SliceWork {
        void run(int from, int to);
    }
}
