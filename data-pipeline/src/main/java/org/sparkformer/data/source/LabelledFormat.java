package org.sparkformer.data.source;

import java.util.Locale;

/** File formats of labelled text. */
public enum LabelledFormat {
    /** Tab-separated fields, one record per line, no quoting. */
    TSV,
    /** Comma-separated fields, one record per line, fields optionally quoted with {@code "} ({@code ""} escapes). */
    CSV,
    /** One JSON object per line; columns are field names. */
    JSONL,
    /** Parquet rows; columns are column names (or indexes into the schema). */
    PARQUET;

    public static LabelledFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("labelled format must be tsv, csv, jsonl or parquet, got '" + value + "'");
        }
    }
}
