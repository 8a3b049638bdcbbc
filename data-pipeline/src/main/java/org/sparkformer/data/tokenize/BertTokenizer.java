package org.sparkformer.data.tokenize;

import java.io.Serializable;
import java.util.List;

/** Basic tokenization followed by WordPiece over a vocabulary: text to BERT token ids. */
public final class BertTokenizer implements Serializable {

    private final BasicTokenizer basic;
    private final WordPieceTokenizer wordPiece;

    public BertTokenizer(Vocabulary vocabulary, BasicTokenizer basic) {
        this.basic = basic;
        this.wordPiece = new WordPieceTokenizer(vocabulary);
    }

    /** An uncased tokenizer (lower-casing, accent stripping) over {@code vocabulary}. */
    public static BertTokenizer uncased(Vocabulary vocabulary) {
        return new BertTokenizer(vocabulary, BasicTokenizer.uncased());
    }

    /** The token strings of {@code text}, without [CLS]/[SEP]. */
    public List<String> tokenize(String text) {
        return encode(text).stream().mapToObj(wordPiece.vocabulary()::token).toList();
    }

    /** The token ids of {@code text}, without [CLS]/[SEP]. */
    public IntList encode(String text) {
        IntList ids = new IntList();
        encodeInto(text, ids);
        return ids;
    }

    /** Appends the token ids of {@code text} to {@code out}. */
    public void encodeInto(String text, IntList out) {
        for (String word : basic.tokenize(text)) {
            wordPiece.encodeWord(word, out);
        }
    }

    public Vocabulary vocabulary() {
        return wordPiece.vocabulary();
    }

    public BasicTokenizer basic() {
        return basic;
    }
}
