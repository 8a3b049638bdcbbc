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
        PartialResult r = o.result();
        taskNanos += o.computeNanos();
        if (o.weight() == 0) {
            return;
        }
        requireShape(o.partition(), "params", r.params(), paramSum.length);
        requireShape(o.partition(), "optimizer state", r.optState(), stateSum.length);
        double w = o.weight();
        addWeighted(o.partition(), "params", r.params(), w, paramSum);
        addWeighted(o.partition(), "optimizer state", r.optState(), w, stateSum);
        weight += o.weight();
        lossSum += r.lossSum();
        lossTerms += r.lossTerms();
        tokens += r.tokens();
        withData++;
    }

    private static void requireShape(int partition, String what, float[] values, int expected) {
        if (values == null || values.length != expected) {
            throw new IllegalStateException("partition " + partition + " returned " + what + " of length "
                    + (values == null ? "null" : values.length) + ", expected " + expected);
        }
    }

    private static void addWeighted(int partition, String what, float[] values, double w, double[] sum) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("partition " + partition + " returned non-finite " + what + " at index "
                        + i + " (" + v + "): local training diverged");
            }
            sum[i] += w * v;
        }
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
