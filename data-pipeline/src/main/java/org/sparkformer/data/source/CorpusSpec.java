package org.sparkformer.data.source;

/**
 * Where an unlabelled corpus is and how to read it.
 *
 * @param paths      comma-separated files, directories or globs on any Hadoop file system
 * @param format     file format
 * @param textColumn field (JSON Lines) or column (Parquet) holding the text; unused for plain text
 */
public record CorpusSpec(String paths, CorpusFormat format, String textColumn) implements java.io.Serializable {

    public static final String DEFAULT_TEXT_COLUMN = "text";

    public CorpusSpec {
        if (paths == null || paths.isBlank()) {
            throw new IllegalArgumentException("corpus paths must be given");
        }
        if (format == null) {
            throw new IllegalArgumentException("corpus format must be given");
        }
        if (textColumn == null || textColumn.isBlank()) {
            textColumn = DEFAULT_TEXT_COLUMN;
        }
    }

    public static CorpusSpec text(String paths) {
        return new CorpusSpec(paths, CorpusFormat.TEXT, DEFAULT_TEXT_COLUMN);
    }
}
