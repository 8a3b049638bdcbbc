package org.sparkformer.kernels.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups sequences into batches of similar length for inference, so that a batch trimmed to its longest sequence
 * carries little padding: the sequences are ordered by length, longest first (ties in their given order), and cut
 * into consecutive batches of at most {@code batchSize}. A batch's cost grows with its longest sequence times its
 * rows, so a window of mixed lengths scored this way computes about its real tokens instead of rows times the
 * window's longest. The caller scores each batch and puts the results back in input order by the indices.
 */
public final class LengthBuckets {

    private LengthBuckets() {
    }

    /** The indices into {@code lengths} of each batch, in scoring order; every index appears once. */
    public static List<int[]> batches(int[] lengths, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1) {
                throw new IllegalArgumentException("sequence " + i + " has length " + lengths[i] + ", at least 1 needed");
            }
        }
        Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -lengths[i]));   // stable: ties keep input order
        List<int[]> out = new ArrayList<>((lengths.length + batchSize - 1) / batchSize);
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] batch = new int[to - from];
            for (int i = from; i < to; i++) {
                batch[i - from] = order[i];
            }
            out.add(batch);
        }
        return out;
    }

    /** Token positions the batches compute when each is trimmed to its longest sequence: rows times that length. */
    public static long paddedPositions(int[] lengths, List<int[]> batches) {
        long cells = 0;
        for (int[] batch : batches) {
            int longest = 0;
            for (int i : batch) {
                longest = Math.max(longest, lengths[i]);
            }
            cells += (long) longest * batch.length;
        }
        return cells;
    }
}
