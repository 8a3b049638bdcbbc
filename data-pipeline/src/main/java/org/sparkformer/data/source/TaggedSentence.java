package org.sparkformer.data.source;

import java.io.Serializable;
import java.util.List;

/**
 * A sentence of token-tagged text (CoNLL style): its words and one tag per word.
 *
 * @param file  the file it came from
 * @param line  1-based line of its first word
 * @param words the words
 * @param tags  one tag per word
 */
public record TaggedSentence(String file, long line, List<String> words, List<String> tags) implements Serializable {

    public TaggedSentence {
        words = List.copyOf(words);
        tags = List.copyOf(tags);
        if (words.size() != tags.size()) {
            throw new IllegalArgumentException(file + ":" + line + ": " + words.size() + " words but " + tags.size() + " tags");
        }
    }

    public String sourceRef() {
        return file + ":" + line;
    }
}
