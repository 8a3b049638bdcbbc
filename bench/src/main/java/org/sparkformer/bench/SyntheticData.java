package org.sparkformer.bench;

import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic inputs of a given shape: token ids uniform over the non-special ids, no padding. Throughput of the
 * kernels does not depend on the token values, only on the shape and the number of labelled positions.
 */
public final class SyntheticData {

    /** Share of positions labelled in a masked-LM batch, as BERT masking selects. */
    public static final double LABELLED_SHARE = 0.15;

    private SyntheticData() {
    }

    /** A masked-LM batch: every position real, each labelled with probability {@link #LABELLED_SHARE}. */
    public static MiniBatch maskedLmBatch(int rows, int seqLen, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = rows * seqLen;
        int[] tokens = new int[n];
        int[] mask = new int[n];
        int[] labels = new int[n];
        int first = Vocabulary.SPECIAL_TOKENS.size();
        for (int i = 0; i < n; i++) {
            tokens[i] = random.nextInt(first, vocab);
            mask[i] = 1;
            labels[i] = random.nextDouble() < LABELLED_SHARE ? random.nextInt(first, vocab) : MiniBatch.IGNORE;
        }
        return new MiniBatch(rows, seqLen, tokens, mask, labels);
    }

    /** A sequence-classification batch: every position real, one label per row. */
    public static MiniBatch classificationBatch(int rows, int seqLen, int vocab, int labels, long seed) {
        MiniBatch tokens = maskedLmBatch(rows, seqLen, vocab, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        int[] perRow = new int[rows];
        for (int r = 0; r < rows; r++) {
            perRow[r] = random.nextInt(labels);
        }
        return new MiniBatch(rows, seqLen, tokens.tokenIds(), tokens.attentionMask(), perRow);
    }

    /** A tagging batch: every position real and a word of its own, so the tagger predicts at every position. */
    public static MiniBatch taggingBatch(int rows, int seqLen, int vocab, int labels, long seed) {
        MiniBatch tokens = maskedLmBatch(rows, seqLen, vocab, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        int[] tags = new int[rows * seqLen];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = random.nextInt(labels);
        }
        return new MiniBatch(rows, seqLen, tokens.tokenIds(), tokens.attentionMask(), tags);
    }

    /** {@code count} unlabelled sequences of exactly {@code seqLen} ids, {@code [CLS] ... [SEP]}. */
    public static List<EncodedSequence> sequences(int count, int seqLen, Vocabulary vocabulary, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int first = Vocabulary.SPECIAL_TOKENS.size();
        List<EncodedSequence> out = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            int[] ids = new int[seqLen];
            ids[0] = vocabulary.clsId();
            for (int i = 1; i < seqLen - 1; i++) {
                ids[i] = random.nextInt(first, vocabulary.size());
            }
            ids[seqLen - 1] = vocabulary.sepId();
            out.add(EncodedSequence.unlabelled(ids, false, "synthetic:" + s));
        }
        return out;
    }

    /** A vocabulary of exactly {@code size} tokens: the special tokens, then {@code w5 .. w<size-1>}. */
    public static Vocabulary vocabulary(int size) {
        List<String> tokens = new ArrayList<>(size);
        for (int i = Vocabulary.SPECIAL_TOKENS.size(); i < size; i++) {
            tokens.add("w" + i);
        }
        return Vocabulary.withSpecialTokens(tokens);
    }
}
