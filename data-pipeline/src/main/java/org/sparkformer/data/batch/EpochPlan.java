package org.sparkformer.data.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The order of one epoch over a partition: which sequence indices form each batch. The sequences are shuffled with a
 * seed of (job seed, partition, epoch); with length bucketing, windows of {@code bucketBatches} batches are sorted by
 * length, cut into batches, and the batches shuffled again. The plan depends on nothing else, so batch {@code k} of
 * an epoch can be found without building batches 0..k-1.
 */
public final class EpochPlan {

    static final long ORDER_STREAM = 1;

    private final int[][] batches;

    private EpochPlan(int[][] batches) {
        this.batches = batches;
    }

    /** The plan for sequences of the given lengths. */
    public static EpochPlan of(int[] lengths, BatchConfig config, long seed, int partition, int epoch) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, ORDER_STREAM, partition, epoch));
        int[] order = shuffledIndices(lengths.length, random);
        int size = config.batchSize();
        List<int[]> batches = new ArrayList<>();
        if (!config.bucketByLength()) {
            cut(order, size, batches);
            return new EpochPlan(batches.toArray(int[][]::new));
        }
        int window = size * config.bucketBatches();
        for (int start = 0; start < order.length; start += window) {
            Integer[] slice = Arrays.stream(order, start, Math.min(order.length, start + window)).boxed().toArray(Integer[]::new);
            Arrays.sort(slice, Comparator.comparingInt((Integer i) -> lengths[i]));
            cut(Arrays.stream(slice).mapToInt(Integer::intValue).toArray(), size, batches);
        }
        int[][] result = batches.toArray(int[][]::new);
        for (int i = result.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int[] t = result[i];
            result[i] = result[j];
            result[j] = t;
        }
        return new EpochPlan(result);
    }

    /** Batches in an epoch of {@code sequences} sequences: ceil(sequences / batchSize), bucketed or not. */
    public static int batchesPerEpoch(int sequences, int batchSize) {
        return (sequences + batchSize - 1) / batchSize;
    }

    private static int[] shuffledIndices(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static void cut(int[] order, int size, List<int[]> out) {
        for (int start = 0; start < order.length; start += size) {
            out.add(Arrays.copyOfRange(order, start, Math.min(order.length, start + size)));
        }
    }

    public int size() {
        return batches.length;
    }

    /** Sequence indices of batch {@code k}. */
    public int[] batch(int k) {
        return batches[k];
    }

    /** Padded cells (rows x longest) summed over the epoch's batches, for the padding fraction. */
    public long paddedCells(int[] lengths) {
        long cells = 0;
        for (int[] b : batches) {
            int longest = 0;
            for (int i : b) {
                longest = Math.max(longest, lengths[i]);
            }
            cells += (long) longest * b.length;
        }
        return cells;
    }
}
