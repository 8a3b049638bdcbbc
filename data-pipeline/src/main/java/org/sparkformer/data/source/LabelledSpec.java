package org.sparkformer.data.source;

/**
 * Where labelled text is and how to read it.
 *
 * @param paths       comma-separated files, directories or globs
 * @param format      file format
 * @param header      whether each TSV/CSV file starts with a header line (needed to choose columns by name)
 * @param textColumn  column holding the text
 * @param labelColumn column holding the label
 */
public record LabelledSpec(String paths, LabelledFormat format, boolean header, Column textColumn, Column labelColumn)
        implements java.io.Serializable {

    public LabelledSpec {
        if (paths == null || paths.isBlank()) {
            throw new IllegalArgumentException("labelled input paths must be given");
        }
        if (format == null || textColumn == null || labelColumn == null) {
            throw new IllegalArgumentException("labelled input needs format, text column and label column");
        }
        boolean delimited = format == LabelledFormat.TSV || format == LabelledFormat.CSV;
        if (delimited && !header && (textColumn.byName() || labelColumn.byName())) {
            throw new IllegalArgumentException(format + " input without header must choose columns by index, got text "
                    + textColumn + ", label " + labelColumn);
        }
        if (format == LabelledFormat.JSONL && (!textColumn.byName() || !labelColumn.byName())) {
            throw new IllegalArgumentException("JSON Lines columns are field names, got text " + textColumn
                    + ", label " + labelColumn);
        }
    }

    /** label TAB text, no header: the layout of the WordNet sample files. */
    public static LabelledSpec labelTabText(String paths) {
        return new LabelledSpec(paths, LabelledFormat.TSV, false, Column.at(1), Column.at(0));
    }
}
