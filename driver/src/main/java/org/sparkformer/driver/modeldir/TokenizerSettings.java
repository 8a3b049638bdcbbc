package org.sparkformer.driver.modeldir;

import org.sparkformer.data.tokenize.BasicTokenizer;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;

import java.io.Serializable;

/**
 * How text became tokens when a model was trained; stored with the model so inference tokenizes the same way.
 *
 * @param lowercase    lower-case before tokenizing
 * @param stripAccents remove accents before tokenizing
 * @param maxLength    tokens per example after truncation
 */
public record TokenizerSettings(boolean lowercase, boolean stripAccents, int maxLength) implements Serializable {

    public TokenizerSettings {
        if (maxLength < 2) {
            throw new IllegalArgumentException("tokenizer maxLength must be at least 2 ([CLS] and [SEP]), got " + maxLength);
        }
    }

    public BertTokenizer tokenizer(Vocabulary vocabulary) {
        return new BertTokenizer(vocabulary, new BasicTokenizer(lowercase, stripAccents));
    }
}
