package org.sparkformer.driver.executor;

import java.io.Serializable;
import java.util.List;

/**
 * One record to predict on, as read: where it came from, its text (sequence classification) or words (tagging),
 * and its gold label or tags when the input carries them (kept in the output, never used to predict). A plain
 * class, not a record, so Spark's Kryo serializer can carry it.
 */
public final class PredictionInput implements Serializable {

    private final String file;
    private final long line;
    private final String text;
    private final List<String> words;
    private final String label;
    private final List<String> tags;

    private PredictionInput(String file, long line, String text, List<String> words, String label, List<String> tags) {
        this.file = file;
        this.line = line;
        this.text = text;
        this.words = words == null ? null : List.copyOf(words);
        this.label = label;
        this.tags = tags == null ? null : List.copyOf(tags);
    }

    /** A text, with its gold label or null. */
    public static PredictionInput text(String file, long line, String text, String label) {
        return new PredictionInput(file, line, text, null, label, null);
    }

    /** A sentence of words, with one gold tag per word or null. */
    public static PredictionInput words(String file, long line, List<String> words, List<String> tags) {
        return new PredictionInput(file, line, null, words, null, tags);
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    /** "file:line" of the record. */
    public String source() {
        return file + ":" + line;
    }

    /** The text, or null for a sentence given as words. */
    public String text() {
        return text;
    }

    /** The words: as given, or the text split on whitespace. */
    public List<String> words() {
        return words != null ? words : List.of(text.strip().split("\\s+"));
    }

    /** The gold label, or null. */
    public String label() {
        return label;
    }

    /** The gold tags, or null. */
    public List<String> tags() {
        return tags;
    }
}
