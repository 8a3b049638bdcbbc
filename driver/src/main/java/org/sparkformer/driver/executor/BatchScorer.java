package org.sparkformer.driver.executor;

import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.Arrays;
import java.util.List;

/**
 * Scores classification sequences with a model, one minibatch per call, in the order given. Each sequence gets the
 * logits of its targets: one row for sequence classification; for token classification one row per labelled
 * position (the first sub-token of each word), in position order. Padding cells hold token id 0; the attention mask
 * hides them, so their value does not matter.
 */
public final class BatchScorer {

    private final TransformerModel model;
    private final boolean perToken;

    public BatchScorer(TransformerModel model) {
        Task task = model.config().task();
        if (task != Task.SEQUENCE_CLASSIFICATION && task != Task.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException("scoring needs a classification model, got task " + task);
        }
        this.model = model;
        this.perToken = task == Task.TOKEN_CLASSIFICATION;
    }

    /** Logits {@code [sequence][target][label]} of {@code sequences} (at most a batch; not empty). */
    public float[][][] score(List<EncodedSequence> sequences) {
        MiniBatch batch = batchOf(sequences);
        // sequence classification: [rows, numLabels]; token classification: [rows*seqLen, numLabels]
        float[][] logits = model.logits(batch).castTo(DataType.FLOAT).toFloatMatrix();
        float[][][] scores = new float[sequences.size()][][];
        for (int r = 0; r < sequences.size(); r++) {
            scores[r] = perToken ? targetsOf(sequences.get(r), logits, r * batch.seqLen()) : new float[][]{logits[r]};
        }
        return scores;
    }

    private static float[][] targetsOf(EncodedSequence s, float[][] logits, int rowOffset) {
        int[] labels = s.tokenLabels();
        if (labels == null) {
            throw new IllegalArgumentException(s.sourceRef() + ": a token-classification sequence needs token labels"
                    + " marking its word starts");
        }
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != MiniBatch.IGNORE)
                .mapToObj(i -> logits[rowOffset + i]).toArray(float[][]::new);
    }

    private MiniBatch batchOf(List<EncodedSequence> sequences) {
        int rows = sequences.size();
        int seqLen = sequences.stream().mapToInt(EncodedSequence::length).max().orElseThrow();
        int[] tokens = new int[rows * seqLen];
        int[] mask = new int[rows * seqLen];
        int[] labels = new int[perToken ? rows * seqLen : rows];
        Arrays.fill(labels, MiniBatch.IGNORE);
        for (int r = 0; r < rows; r++) {
            EncodedSequence s = sequences.get(r);
            int offset = r * seqLen;
            System.arraycopy(s.tokenIds(), 0, tokens, offset, s.length());
            Arrays.fill(mask, offset, offset + s.length(), 1);
            if (perToken && s.hasTokenLabels()) {
                System.arraycopy(s.tokenLabels(), 0, labels, offset, s.length());
            } else if (!perToken) {
                labels[r] = s.label();
            }
        }
        return new MiniBatch(rows, seqLen, tokens, mask, labels);
    }
}
