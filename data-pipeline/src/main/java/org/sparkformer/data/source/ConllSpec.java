package org.sparkformer.data.source;

/**
 * Where token-tagged text is and which columns hold word and tag. Lines are split on tabs (or on any whitespace when
 * {@code tabSeparated} is false); blank lines end sentences; {@code -DOCSTART-} lines and {@code #} comments are
 * ignored.
 *
 * @param paths        comma-separated files, directories or globs
 * @param wordColumn   0-based column of the word
 * @param tagColumn    0-based column of the tag, or -1 for the last column
 * @param tabSeparated split on tabs only (words may then contain spaces)
 */
public record ConllSpec(String paths, int wordColumn, int tagColumn, boolean tabSeparated) implements java.io.Serializable {

    public ConllSpec {
        if (paths == null || paths.isBlank()) {
            throw new IllegalArgumentException("CoNLL input paths must be given");
        }
        if (wordColumn < 0 || tagColumn < -1) {
            throw new IllegalArgumentException("CoNLL word column must be >= 0 and tag column >= -1 (last), got "
                    + wordColumn + " and " + tagColumn);
        }
    }

    /** Word in column 0, tag in the last column, tab-separated. */
    public static ConllSpec of(String paths) {
        return new ConllSpec(paths, 0, -1, true);
    }
}
