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

    /**
     * Logits {@code [sequence][target][label]} of {@code sequences} (at most a batch; not empty), on the model's
     * inference path ({@link TransformerModel#inference()}) over a batch as long as its longest sequence; a tagger's
     * classifier runs at the targets alone.
     */
    public float[][][] score(List<EncodedSequence> sequences) {
        MiniBatch batch = batchOf(sequences);
        float[][][] scores = new float[sequences.size()][][];
        if (!perToken) {
            float[][] logits = model.inference().logits(batch).castTo(DataType.FLOAT).toFloatMatrix();   // [rows, numLabels]
            for (int r = 0; r < sequences.size(); r++) {
                scores[r] = new float[][]{logits[r]};
            }
            return scores;
        }
        int[][] targets = new int[sequences.size()][];
        int count = 0;
        for (int r = 0; r < sequences.size(); r++) {
            targets[r] = targetsOf(sequences.get(r));
            count += targets[r].length;
        }
        int[] positions = new int[count];                   // every target of the batch, row by row
        int at = 0;
        for (int r = 0; r < sequences.size(); r++) {
            for (int i : targets[r]) {
                positions[at++] = r * batch.seqLen() + i;
            }
        }
        float[][] logits = count == 0 ? new float[0][]
                : model.inference().logitsAt(batch, positions).castTo(DataType.FLOAT).toFloatMatrix();   // [targets, numLabels]
        at = 0;
        for (int r = 0; r < sequences.size(); r++) {
            scores[r] = Arrays.copyOfRange(logits, at, at + targets[r].length);
            at += targets[r].length;
        }
        return scores;
    }

    /** The positions of a token-classification sequence's targets (its labelled positions), in order. */
    private static int[] targetsOf(EncodedSequence s) {
        int[] labels = s.tokenLabels();
        if (labels == null) {
            throw new IllegalArgumentException(s.sourceRef() + ": a token-classification sequence needs token labels"
                    + " marking its word starts");
        }
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != MiniBatch.IGNORE).toArray();
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
