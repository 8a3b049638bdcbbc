package org.sparkformer.driver.executor;

import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.Arrays;
import java.util.List;

/**
 * Embeds sequences with an encoder: the mean of each sequence's final hidden states over its real positions
 * ([CLS] and [SEP] included, padding left out), computed in double precision from the model's inference path
 * ({@link TransformerModel#inference()}). The model's head is never run, so
 * any model serves, a pretrained masked-LM encoder or a fine-tuned classifier.
 */
public final class BatchEmbedder {

    /** Embeddings as {@link ScoredBatches} carries scores: one row per sequence, {@code dModel} values. */
    public static final ScoredBatches.Scoring MEAN_POOLED = (model, sequences) -> {
        float[][] pooled = meanPooled(model, sequences);
        float[][][] out = new float[pooled.length][][];
        for (int i = 0; i < pooled.length; i++) {
            out[i] = new float[][]{pooled[i]};
        }
        return out;
    };

    private BatchEmbedder() {
    }

    /** The mean-pooled final hidden states {@code [sequence][dModel]} of {@code sequences} (at most a batch; not empty). */
    public static float[][] meanPooled(TransformerModel model, List<EncodedSequence> sequences) {
        int rows = sequences.size();
        int seqLen = sequences.stream().mapToInt(EncodedSequence::length).max().orElseThrow();
        int[] tokens = new int[rows * seqLen];
        int[] mask = new int[rows * seqLen];
        int[] labels = new int[rows];
        Arrays.fill(labels, MiniBatch.IGNORE);
        for (int r = 0; r < rows; r++) {
            EncodedSequence s = sequences.get(r);
            System.arraycopy(s.tokenIds(), 0, tokens, r * seqLen, s.length());
            Arrays.fill(mask, r * seqLen, r * seqLen + s.length(), 1);
        }
        float[][] hidden = model.inference().hidden(new MiniBatch(rows, seqLen, tokens, mask, labels)).castTo(DataType.FLOAT)
                .toFloatMatrix();
        int dModel = model.config().dModel();
        float[][] pooled = new float[rows][dModel];
        for (int r = 0; r < rows; r++) {
            int length = sequences.get(r).length();
            double[] sum = new double[dModel];
            for (int p = 0; p < length; p++) {
                float[] h = hidden[r * seqLen + p];
                for (int d = 0; d < dModel; d++) {
                    sum[d] += h[d];
                }
            }
            for (int d = 0; d < dModel; d++) {
                pooled[r][d] = (float) (sum[d] / length);
            }
        }
        return pooled;
    }
}
