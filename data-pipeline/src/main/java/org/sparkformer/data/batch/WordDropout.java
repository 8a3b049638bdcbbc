package org.sparkformer.data.batch;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.data.tokenize.WordPieceTokenizer;
import org.sparkformer.kernels.batch.MiniBatch;

/**
 * Word dropout for fine-tuning: each word of a training sequence is replaced by [MASK], all its sub-tokens, with
 * probability {@code rate}, drawn anew every epoch. The model then has to tag or classify from the context too, not
 * only from a lexicon of the words it saw, which is what it meets in rare and unseen words. Labels are untouched.
 *
 * <p>A word is what the labels mark: with per-token labels (token classification) a word starts at a labelled
 * position and runs to the next labelled position or the next special token; without them (sequence
 * classification) every sub-token after the first of a WordPiece continuation ({@code ##...}) belongs to the word
 * before it. Special tokens ([CLS], [SEP], [PAD]) never drop.
 *
 * @param rate probability of dropping each word, in [0, 1)
 */
public record WordDropout(double rate) implements Serializable {

    /** No word dropout. */
    public static final WordDropout NONE = new WordDropout(0);

    public WordDropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("word dropout rate must be in [0, 1), got " + rate);
        }
    }

    /** True when words are dropped at all. */
    public boolean enabled() {
        return rate > 0;
    }

    /**
     * Replaces the dropped words of the sequence at {@code inputs[offset, offset + length)} by [MASK] in place.
     *
     * @param tokenLabels per-token labels of the sequence, {@link MiniBatch#IGNORE} inside a word; null when the
     *                    sequence has one label (word starts then come from the WordPiece continuation marks)
     */
    public void apply(int[] inputs, int offset, int length, int[] tokenLabels, Vocabulary vocabulary,
                      SplittableRandom random) {
        boolean dropping = false;
        for (int i = 0; i < length; i++) {
            int id = inputs[offset + i];
            if (vocabulary.isSpecial(id)) {
                dropping = false;
                continue;
            }
            boolean wordStart = tokenLabels != null ? tokenLabels[i] != MiniBatch.IGNORE
                    : !vocabulary.token(id).startsWith(WordPieceTokenizer.CONTINUATION);
            if (wordStart || i == 0) {
                dropping = random.nextDouble() < rate;
            }
            if (dropping) {
                inputs[offset + i] = vocabulary.maskId();
            }
        }
    }
}
