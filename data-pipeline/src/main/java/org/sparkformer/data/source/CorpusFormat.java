package org.sparkformer.data.source;

import java.util.Locale;

/** File formats of an unlabelled corpus. */
public enum CorpusFormat {
    /** One sentence (or document) per line; blank lines separate documents. */
    TEXT,
    /** One JSON object per line; the text field holds a document (newlines separate its sentences). */
    JSONL,
    /** Parquet rows; the text column holds a document (newlines separate its sentences). */
    PARQUET;

    public static CorpusFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corpus format must be text, jsonl or parquet, got '" + value + "'");
        }
    }
}
