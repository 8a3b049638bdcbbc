package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.host.FloatExp;
import org.sparkformer.kernels.host.FloatRows;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;

/**
 * The attention weights {@code P = softmax(S + bias)} over the keys of every query, as one pass per row over host
 * memory with the additive mask ({@link AttentionBias}) folded in, rows split over {@link HostThreads}. Replaces a
 * broadcast add and libnd4j's softmax op, which spent about 20 cycles per score on its exponentials: float rows use
 * {@link FloatExp}, double rows {@code Math.exp}. Each row is computed by one thread, so the result does not depend
 * on the thread count.
 */
public final class AttentionSoftmax {

    /** Scores per exponential call: several short rows at once keep {@link FloatExp}'s loops long. */
    private static final int SCORES_PER_PASS = 4096;

    private AttentionSoftmax() {
    }

    /**
     * {@code probs[bh, i, :] = softmax(scores[bh, i, :] + bias[b, i*T ..])} for scores and probs {@code [BH, T, T]}
     * (contiguous, may be the same array) and {@code bias [rows, T*T]} or null, where b is the batch row of head block
     * bh.
     */
    public static void rows(INDArray scores, INDArray bias, int heads, int seqLen, INDArray probs) {
        rows(scores, bias, heads, seqLen, probs, null, 0L, null);
    }

    /**
     * As {@link #rows(INDArray, INDArray, int, int, INDArray)}, and with a {@code dropout} (null for none) also
     * {@code weights = dropout(probs)} with masks from {@code seed}, the same values as {@link Dropout#apply} on
     * probs gives; for float arrays in the same pass, while each row is still in hand.
     */
    public static void rows(INDArray scores, INDArray bias, int heads, int seqLen, INDArray probs, Dropout dropout, long seed,
                            INDArray weights) {
        HostArray in = HostArray.of(scores);
        HostArray out = scores == probs ? in : HostArray.of(probs);
        HostArray mask = bias == null ? null : HostArray.of(bias);
        HostArray dropped = dropout == null ? null : HostArray.of(weights);
        int width = seqLen;
        int rows = in.length() / width;
        boolean floats = in.isFloat() && out.isFloat() && (mask == null || mask.isFloat()) && (dropped == null || dropped.isFloat());
        HostThreads.forRange(rows, 64, (first, last) -> {
            if (floats) {
                floatRows(in, mask, out, heads, width, first, last, dropout, seed, dropped);
            } else {
                doubleRows(in, mask, out, heads, width, first, last);
            }
        });
        if (!floats && dropout != null) {
            dropout.apply(probs, null, weights, seed);
        }
    }

    /**
     * {@code scores[h, i, :] = softmax(scores[h, i, :] + bias[batchRow, i*T ..])} in place, for the {@code [heads, T, T]}
     * scores of one batch row (contiguous) and {@code bias [rows, T*T]} or null, on the calling thread: for callers that
     * already split their work over {@link HostThreads}. The same values as {@link #rows} gives those rows.
     */
    public static void sequence(INDArray scores, INDArray bias, int batchRow, int seqLen) {
        HostArray values = HostArray.of(scores);
        HostArray mask = bias == null ? null : HostArray.of(bias);
        int rows = values.length() / seqLen;
        // as rows of a batch whose first row is batchRow: one head block of that row per T score rows
        int heads = rows / seqLen;
        int shift = batchRow * heads * seqLen;
        if (values.isFloat() && (mask == null || mask.isFloat())) {
            floatRows(values, mask, values, heads, seqLen, 0, rows, null, 0L, null, shift);
        } else {
            doubleRows(values, mask, values, heads, seqLen, 0, rows, shift);
        }
    }

    /** Offset of row r's mask in the bias: batch row {@code r / (heads*T)}, query {@code r % T}. */
    private static int biasOffset(int r, int heads, int width) {
        return (r / (heads * width)) * width * width + (r % width) * width;
    }

    private static void floatRows(HostArray in, HostArray mask, HostArray out, int heads, int width, int first, int last,
                                  Dropout dropout, long seed, HostArray dropped) {
        floatRows(in, mask, out, heads, width, first, last, dropout, seed, dropped, 0);
    }

    /** Rows {@code first .. last-1}, row r taking the mask of row {@code r + shift} of the whole batch. */
    private static void floatRows(HostArray in, HostArray mask, HostArray out, int heads, int width, int first, int last,
                                  Dropout dropout, long seed, HostArray dropped, int shift) {
        int perPass = Math.max(1, SCORES_PER_PASS / width);
        float[] rows = new float[perPass * width];
        float[] add = new float[width];
        float[] scratch = new float[perPass * width];
        long[] draws = dropout == null ? null : new long[perPass * width];
        for (int r0 = first; r0 < last; r0 += perPass) {
            int count = Math.min(perPass, last - r0);
            int n = count * width;
            in.readFloats(r0 * width, rows, n);
            for (int i = 0; i < count; i++) {
                int at = i * width;
                if (mask != null) {
                    mask.readFloats(biasOffset(shift + r0 + i, heads, width), add, width);
                    for (int j = 0; j < width; j++) {
                        rows[at + j] += add[j];
                    }
                }
                float max = FloatRows.max(rows, at, width);
                for (int j = 0; j < width; j++) {
                    rows[at + j] -= max;
                }
            }
            FloatExp.exp(rows, n, scratch);
            for (int i = 0; i < count; i++) {
                int at = i * width;
                float inverse = (float) (1.0 / FloatRows.sum(rows, at, width));
                for (int j = at; j < at + width; j++) {
                    rows[j] *= inverse;
                }
            }
            out.writeFloats(r0 * width, rows, n);
            if (dropout != null) {
                dropout.dropFloats(seed, r0 * width, rows, scratch, draws, n);
                dropped.writeFloats(r0 * width, rows, n);
            }
        }
    }

    private static void doubleRows(HostArray in, HostArray mask, HostArray out, int heads, int width, int first, int last) {
        doubleRows(in, mask, out, heads, width, first, last, 0);
    }

    private static void doubleRows(HostArray in, HostArray mask, HostArray out, int heads, int width, int first, int last,
                                   int shift) {
        double[] row = new double[width];
        double[] add = new double[width];
        float[] staging = new float[width];
        for (int r = first; r < last; r++) {
            in.read(r * width, row, width, staging);
            if (mask != null) {
                mask.read(biasOffset(shift + r, heads, width), add, width, staging);
                for (int j = 0; j < width; j++) {
                    row[j] += add[j];
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                row[j] = Math.exp(row[j] - max);
                sum += row[j];
            }
            for (int j = 0; j < width; j++) {
                row[j] /= sum;
            }
            out.write(r * width, row, width, staging);
        }
    }
}
