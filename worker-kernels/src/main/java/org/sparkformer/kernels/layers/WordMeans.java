package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.host.HostArray;

/**
 * Word vectors as the mean of their sub-token states, for token classification. The labelled positions of a batch
 * mark the words: a word starts at a labelled position and runs to the next labelled position of its row or to
 * the row's last real token ([SEP]), exclusive; a word at or after that token is its own sub-token alone. Means are
 * summed in double, one word after another, so the result does not depend on threads.
 */
final class WordMeans {

    private WordMeans() {
    }

    /**
     * The word vector of each of {@code positions} as {@code [L, d]}; with null positions every hidden row, in order
     * ({@code [N, d]}), the labelled ones replaced by their word's mean.
     */
    static INDArray pool(INDArray hidden, MiniBatch batch, int[] positions, Workspace ws) {
        int width = (int) hidden.columns();
        int[] starts = positions != null ? positions : labelled(batch);
        int[] ends = endsOf(batch, starts);
        INDArray out = ws.rows("head.pooled", positions != null ? positions.length : hidden.rows(), width);
        if (positions == null) {
            out.assign(hidden);
        }
        HostArray from = HostArray.of(hidden);
        HostArray to = HostArray.of(out);
        double[] sum = new double[width];
        double[] row = new double[width];
        float[] staging = new float[width];
        for (int w = 0; w < starts.length; w++) {
            java.util.Arrays.fill(sum, 0);
            for (int t = starts[w]; t < ends[w]; t++) {
                from.read(t * width, row, width, staging);
                for (int k = 0; k < width; k++) {
                    sum[k] += row[k];
                }
            }
            double count = ends[w] - starts[w];
            for (int k = 0; k < width; k++) {
                sum[k] /= count;
            }
            to.write((positions != null ? w : starts[w]) * width, sum, width, staging);
        }
        return out;
    }

    /** Writes {@code dHidden [N, d]} (overwritten) from the gradient of the pooled rows {@link #pool} returned. */
    static void backward(INDArray dPooled, MiniBatch batch, int[] positions, INDArray dHidden) {
        int width = (int) dHidden.columns();
        int[] starts = positions != null ? positions : labelled(batch);
        int[] ends = endsOf(batch, starts);
        if (positions == null) {
            dHidden.assign(dPooled);
        } else {
            dHidden.assign(0);
        }
        HostArray from = HostArray.of(dPooled);
        HostArray to = HostArray.of(dHidden);
        double[] share = new double[width];
        double[] row = new double[width];
        float[] staging = new float[width];
        if (positions == null) {
            java.util.Arrays.fill(row, 0);
            for (int start : starts) {
                to.write(start * width, row, width, staging);
            }
        }
        for (int w = 0; w < starts.length; w++) {
            from.read((positions != null ? w : starts[w]) * width, share, width, staging);
            double count = ends[w] - starts[w];
            for (int k = 0; k < width; k++) {
                share[k] /= count;
            }
            for (int t = starts[w]; t < ends[w]; t++) {
                to.read(t * width, row, width, staging);
                for (int k = 0; k < width; k++) {
                    row[k] += share[k];
                }
                to.write(t * width, row, width, staging);
            }
        }
    }

    /** The labelled positions of a per-token batch, in order. */
    private static int[] labelled(MiniBatch batch) {
        int[] labels = perTokenLabels(batch);
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != MiniBatch.IGNORE).toArray();
    }

    /** The exclusive end of the word that starts at each of {@code starts}. */
    static int[] endsOf(MiniBatch batch, int[] starts) {
        int[] labels = perTokenLabels(batch);
        int[] mask = batch.attentionMask();
        int seqLen = batch.seqLen();
        int[] ends = new int[starts.length];
        for (int w = 0; w < starts.length; w++) {
            int p = starts[w];
            int rowStart = p - p % seqLen;
            int last = rowStart + seqLen - 1;
            while (last > rowStart && mask[last] == 0) {
                last--;
            }
            int q = p + 1;
            while (q < last && labels[q] == MiniBatch.IGNORE) {
                q++;
            }
            ends[w] = Math.max(q, p + 1);
        }
        return ends;
    }

    private static int[] perTokenLabels(MiniBatch batch) {
        if (batch.labels().length != batch.rows() * batch.seqLen()) {
            throw new IllegalArgumentException("mean word pooling needs one label per token marking the word starts, got "
                    + batch.labels().length + " labels for " + batch.rows() + " rows of " + batch.seqLen());
        }
        return batch.labels();
    }
}
