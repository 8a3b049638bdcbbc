package org.sparkformer.kernels.batch;

import java.util.Arrays;

/**
 * One minibatch as the worker kernels consume it: the input contract between the data pipeline and
 * the model. Arrays are flat and row-major so a batch is a handful of primitive arrays, cheap to build
 * and to ship.
 *
 * <ul>
 *   <li>{@code tokenIds}: [rows * seqLen] token ids.</li>
 *   <li>{@code attentionMask}: [rows * seqLen], 1 for a real token, 0 for padding.</li>
 *   <li>{@code labels}: per token ([rows * seqLen]) for masked-LM, causal-LM and token classification,
 *       or per row ([rows]) for sequence classification; {@link #IGNORE} marks positions that take no
 *       part in the loss.</li>
 * </ul>
 */
public record MiniBatch(int rows, int seqLen, int[] tokenIds, int[] attentionMask, int[] labels) {

    /** Label value that excludes a position (or row) from the loss and from metrics. */
    public static final int IGNORE = -100;

    public MiniBatch {
        if (rows <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("minibatch needs rows > 0 and seqLen > 0, got rows " + rows + ", seqLen " + seqLen);
        }
        int cells = rows * seqLen;
        if (tokenIds.length != cells) {
            throw new IllegalArgumentException("tokenIds has " + tokenIds.length + " entries, expected rows*seqLen = " + cells);
        }
        if (attentionMask.length != cells) {
            throw new IllegalArgumentException("attentionMask has " + attentionMask.length + " entries, expected rows*seqLen = " + cells);
        }
        if (labels.length != cells && labels.length != rows) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, expected rows*seqLen = " + cells
                    + " (per token) or rows = " + rows + " (per sequence)");
        }
    }

    /** True when labels are one per row (sequence classification). */
    public boolean perSequenceLabels() {
        return seqLen > 1 && labels.length == rows;
    }

    /** Number of non-padding tokens in the batch. */
    public int realTokens() {
        int n = 0;
        for (int m : attentionMask) {
            n += m;
        }
        return n;
    }

    /** Number of labels that take part in the loss. */
    public int labelledPositions() {
        int n = 0;
        for (int l : labels) {
            if (l != IGNORE) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MiniBatch b && rows == b.rows && seqLen == b.seqLen
                && Arrays.equals(tokenIds, b.tokenIds) && Arrays.equals(attentionMask, b.attentionMask)
                && Arrays.equals(labels, b.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(tokenIds) + Arrays.hashCode(attentionMask)) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "MiniBatch[rows=" + rows + ", seqLen=" + seqLen + ", realTokens=" + realTokens() + "]";
    }
}
