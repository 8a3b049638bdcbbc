package org.sparkformer.driver.inference;

import java.util.Locale;

/** File formats predictions can be written in. */
public enum OutputFormat {
    PARQUET("parquet"),
    JSONL("json"),
    CSV("csv");

    /** The format predict writes when none is named. */
    public static final String DEFAULT = "parquet";

    private final String sparkSource;

    OutputFormat(String sparkSource) {
        this.sparkSource = sparkSource;
    }

    /** The Spark data source that writes this format. */
    public String sparkSource() {
        return sparkSource;
    }

    /** Nested columns (arrays, maps) are kept; CSV needs them flattened to text. */
    public boolean nested() {
        return this != CSV;
    }

    public static OutputFormat parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "parquet" -> PARQUET;
            case "jsonl", "json" -> JSONL;
            case "csv" -> CSV;
            default -> throw new IllegalArgumentException("output format must be parquet, jsonl or csv, got '" + value + "'");
        };
    }
}
