package org.sparkformer.data.tokenize;

import java.io.Serializable;
import java.util.List;

/**
 * BERT's WordPiece: each word becomes the longest vocabulary prefix, then the longest {@code ##}-prefixed vocabulary
 * continuation, and so on; a word that cannot be covered, or is longer than {@code maxCharsPerWord} code points,
 * becomes a single {@code [UNK]}.
 */
public final class WordPieceTokenizer implements Serializable {

    public static final String CONTINUATION = "##";
    public static final int DEFAULT_MAX_CHARS_PER_WORD = 100;

    private final Vocabulary vocabulary;
    private final int maxCharsPerWord;

    public WordPieceTokenizer(Vocabulary vocabulary, int maxCharsPerWord) {
        if (maxCharsPerWord <= 0) {
            throw new IllegalArgumentException("maxCharsPerWord must be > 0, got " + maxCharsPerWord);
        }
        this.vocabulary = vocabulary;
        this.maxCharsPerWord = maxCharsPerWord;
    }

    public WordPieceTokenizer(Vocabulary vocabulary) {
        this(vocabulary, DEFAULT_MAX_CHARS_PER_WORD);
    }

    /** Appends the sub-word ids of one word (already basic-tokenized, no whitespace) to {@code out}. */
    public void encodeWord(String word, IntList out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxCharsPerWord) {
            out.add(vocabulary.unkId());
            return;
        }
        int mark = out.size();
        int start = 0;
        while (start < cps.length) {
            int found = -1;
            int end = cps.length;
            while (start < end) {
                String piece = new String(cps, start, end - start);
                found = vocabulary.id(start > 0 ? CONTINUATION + piece : piece);
                if (found >= 0) {
                    break;
                }
                end--;
            }
            if (found < 0) {
                out.truncate(mark);
                out.add(vocabulary.unkId());
                return;
            }
            out.add(found);
            start = end;
        }
    }

    /** The sub-word tokens of one word, as strings. */
    public List<String> tokenizeWord(String word) {
        IntList ids = new IntList();
        encodeWord(word, ids);
        return ids.stream().mapToObj(vocabulary::token).toList();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }
}
