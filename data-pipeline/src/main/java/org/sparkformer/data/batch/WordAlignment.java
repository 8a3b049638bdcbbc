package org.sparkformer.data.batch;

import java.io.Serializable;

/**
 * Where the words of a tagged sentence went in its token sequence, to map per-token predictions back to words.
 *
 * @param tokenIds   the sequence, [CLS] ... [SEP]
 * @param wordStarts position of each kept word's first sub-token (words cut off by truncation have none)
 * @param truncated  whether some words (or sub-tokens) were cut off
 */
public record WordAlignment(int[] tokenIds, int[] wordStarts, boolean truncated) implements Serializable {

    /** Per-word values (e.g. predicted tag ids) read at each word's first sub-token of {@code perToken}. */
    public int[] perWord(int[] perToken) {
        return perWord(perToken, 0);
    }

    /** As {@link #perWord(int[])}, reading row values that start at {@code offset} of a flat batch array. */
    public int[] perWord(int[] perToken, int offset) {
        int[] words = new int[wordStarts.length];
        for (int w = 0; w < words.length; w++) {
            words[w] = perToken[offset + wordStarts[w]];
        }
        return words;
    }

    /** The word starts of an encoded tagging sequence: the positions that carry a tag. */
    public static int[] wordStartsOf(EncodedSequence tagged) {
        int[] labels = tagged.tokenLabels();
        return java.util.stream.IntStream.range(0, labels.length)
                .filter(i -> labels[i] != org.sparkformer.kernels.batch.MiniBatch.IGNORE).toArray();
    }
}
