package org.sparkformer.driver.averaging;

import java.util.HashMap;
import java.util.Map;

/**
 * Sums partition results into double accumulators strictly in partition-id order, whatever order they
 * arrive in: results that arrive early wait until every lower id has been added. The sums, and so the
 * average, are therefore bit-identical across task orders and retries. Holds at most the out-of-order
 * results in memory.
 */
final class OrderedAverager {

    private final float[] initialParams;
    private final float[] initialState;
    private final double[] paramSum;
    private final double[] stateSum;
    private final Map<Integer, PartitionOutcome> waiting = new HashMap<>();
    private int next;
    private long weight;
    private double lossSum;
    private long lossTerms;
    private long tokens;
    private int withData;
    private long taskNanos;
    private long busyNanos;

    OrderedAverager(float[] params, float[] optState) {
        this.initialParams = params;
        this.initialState = optState;
        this.paramSum = new double[params.length];
        this.stateSum = new double[optState.length];
    }

    /** Accepts one partition's outcome; adds it and any waiting successors when its turn has come. */
    void accept(PartitionOutcome outcome) {
        long start = System.nanoTime();
        if (waiting.put(outcome.partition(), outcome) != null || outcome.partition() < next) {
            throw new IllegalStateException("partition " + outcome.partition() + " reported twice");
        }
        while (waiting.containsKey(next)) {
            add(waiting.remove(next));
            next++;
        }
        busyNanos += System.nanoTime() - start;
    }

    private void add(PartitionOutcome o) {
        taskNanos += o.computeNanos();
        if (o.weight() == 0) {
            return;
        }
        PackedFloats arrays = o.arrays();
        requireShape(o.partition(), "params", arrays, 0, paramSum.length);
        requireShape(o.partition(), "optimizer state", arrays, 1, stateSum.length);
        double w = o.weight();
        addWeighted(o.partition(), "params", arrays, 0, w, paramSum);
        addWeighted(o.partition(), "optimizer state", arrays, 1, w, stateSum);
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

    /** {@code sum[i] += w * values[i]}, read straight from the packed bytes in chunks. */
    private static void addWeighted(int partition, String what, PackedFloats arrays, int index, double w, double[] sum) {
        arrays.forEachChunk(index, (chunk, offset, n) -> {
            for (int j = 0; j < n; j++) {
                float v = chunk[j];
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("partition " + partition + " returned non-finite " + what
                            + " at index " + (offset + j) + " (" + v + "): local training diverged");
                }
                sum[offset + j] += w * v;
            }
        });
    }

    /** The weighted mean; the inputs unchanged when no partition had data. */
    RoundResult finish(int partitions, long broadcastNanos, long jobNanos) {
        long start = System.nanoTime();
        if (next != partitions || !waiting.isEmpty()) {
            throw new IllegalStateException("averaged " + next + " of " + partitions + " partitions");
        }
        float[] params = weight == 0 ? initialParams.clone() : divide(paramSum, weight);
        float[] state = weight == 0 ? initialState.clone() : divide(stateSum, weight);
        long aggregate = busyNanos + System.nanoTime() - start;
        return new RoundResult(params, state, weight, lossSum, lossTerms, tokens, partitions, withData, broadcastNanos,
                Math.max(0, jobNanos - busyNanos), aggregate, taskNanos);
    }

    private static float[] divide(double[] sum, long weight) {
        float[] out = new float[sum.length];
        double w = weight;
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) (sum[i] / w);
        }
        return out;
    }
}
