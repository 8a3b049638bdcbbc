package org.sparkformer.data.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads labelled text (TSV, CSV, JSON Lines, Parquet) into {@link LabelledText}s. A header that lacks a named column
 * fails the job whatever the policy (it is a configuration error, not a bad record); rows with too few fields,
 * blank text or label, or malformed JSON/CSV are bad records. A blank line in a TSV or CSV file is no record: it is
 * passed over, not counted.
 * <p>
 * A row's width is the header's (or, without one, the columns it needs: the label and text columns). A TSV row with
 * more fields than that holds a tab in its text when the text is the last column: the text then runs to the end of
 * the line, tabs included. Otherwise, and in CSV (where a delimiter in a text is quoted), a row with more fields is a
 * bad record naming the line and the field counts; nothing is cut silently.
 */
public final class LabelledTextReader {

    private LabelledTextReader() {
    }

    public static ReadResult<LabelledText> read(SparkSession spark, LabelledSpec spec, ReadOptions options) {
        return switch (spec.format()) {
            case TSV, CSV -> TextFiles.read(spark, spec.paths(), options, delimitedRows(spec));
            case JSONL -> TextFiles.read(spark, spec.paths(), options, jsonRows(spec));
            case PARQUET -> parquetRows(spark, spec, options);
        };
    }

    /**
     * The records {@code spec} names, counted on this JVM without Spark and up to {@code limit} (see
     * {@link TextFiles#countUpTo}). For Parquet it is the files' row count from their footers, up to {@code limit}:
     * rows with a null text or label, bad records, are found only when Spark reads them.
     */
    public static long countUpTo(LabelledSpec spec, ReadOptions options, Configuration conf, long limit) {
        return switch (spec.format()) {
            case TSV, CSV -> TextFiles.countUpTo(spec.paths(), conf, options, delimitedRows(spec), limit);
            case JSONL -> TextFiles.countUpTo(spec.paths(), conf, options, jsonRows(spec), limit);
            case PARQUET -> parquetRowsUpTo(spec.paths(), conf, limit);
        };
    }

    private static long parquetRowsUpTo(String paths, Configuration conf, long limit) {
        long rows = 0;
        for (String file : InputFiles.expand(paths, conf)) {
            if (rows >= limit) {
                break;
            }
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
                rows += reader.getRecordCount();
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read the Parquet footer: " + e.getMessage(), e);
            }
        }
        return Math.min(rows, limit);
    }

    private static FileRecordParser<LabelledText> delimitedRows(LabelledSpec spec) {
        return (lines, policy) -> new LineRecords<>(lines) {
            private int textIndex = spec.textColumn().index();
            private int labelIndex = spec.labelColumn().index();
            private int width = Math.max(textIndex, labelIndex) + 1;
            private boolean headerPending = spec.header();

            @Override
            protected Outcome<LabelledText> onLine(Line line) {
                if (line.isBlank()) {
                    return null;
                }
                if (headerPending) {
                    headerPending = false;
                    readHeader(line);
                    return null;
                }
                return row(line, policy);
            }

            private void readHeader(Line line) {
                List<String> names = DelimitedFields.split(line.text(), spec.format()).stream().map(String::strip).toList();
                textIndex = resolve(spec.textColumn(), names, line);
                labelIndex = resolve(spec.labelColumn(), names, line);
                width = Math.max(names.size(), Math.max(textIndex, labelIndex) + 1);
            }

            private Outcome<LabelledText> row(Line line, BadRecordPolicy policy) {
                List<String> fields;
                try {
                    fields = DelimitedFields.split(line.text(), spec.format());
                } catch (IllegalArgumentException e) {
                    return Outcome.reject(line.bad(BadRecordReason.MALFORMED_CSV, e.getMessage()), policy);
                }
                int needed = Math.max(textIndex, labelIndex) + 1;
                if (fields.size() < needed) {
                    return Outcome.reject(line.bad(BadRecordReason.MISSING_COLUMN,
                            fields.size() + " fields, need at least " + needed), policy);
                }
                if (fields.size() > width) {
                    if (spec.format() == LabelledFormat.TSV && textIndex == width - 1) {
                        String text = String.join("\t", fields.subList(textIndex, fields.size()));
                        return labelled(line, text, fields.get(labelIndex), policy);
                    }
                    return Outcome.reject(line.bad(BadRecordReason.TOO_MANY_FIELDS, fields.size() + " fields, the rows of"
                            + " this file have " + width + (spec.format() == LabelledFormat.TSV
                            ? " (a tab inside the text? only a text in the last column may hold tabs)" : "")), policy);
                }
                return labelled(line, fields.get(textIndex), fields.get(labelIndex), policy);
            }
        };
    }

    private static int resolve(Column column, List<String> header, Line line) {
        if (!column.byName()) {
            return column.index();
        }
        int index = header.indexOf(column.name());
        if (index < 0) {
            throw line.bad(BadRecordReason.MISSING_COLUMN, "header has no column '" + column.name()
                    + "' (columns: " + String.join(", ", header) + ")").toException();
        }
        return index;
    }

    private static FileRecordParser<LabelledText> jsonRows(LabelledSpec spec) {
        JsonLineParser json = new JsonLineParser();
        String textField = spec.textColumn().name();
        String labelField = spec.labelColumn().name();
        return (lines, policy) -> new LineRecords<>(lines) {
            @Override
            protected Outcome<LabelledText> onLine(Line line) {
                return json.parse(line, policy).then(node -> JsonLineParser.text(node, textField, line, policy)
                        .then(text -> JsonLineParser.label(node, labelField, line, policy)
                                .then(label -> labelled(line, text, label, policy))));
            }
        };
    }

    private static Outcome<LabelledText> labelled(Line line, String text, String label, BadRecordPolicy policy) {
        String cleanLabel = label.strip();
        if (text.isBlank() || cleanLabel.isEmpty()) {
            return Outcome.reject(line.bad(BadRecordReason.EMPTY_RECORD, (text.isBlank() ? "text" : "label") + " is blank"), policy);
        }
        return Outcome.good(new LabelledText(line.file(), line.number(), text.strip(), cleanLabel));
    }

    private static ReadResult<LabelledText> parquetRows(SparkSession spark, LabelledSpec spec, ReadOptions options) {
        List<String> schema = spec.textColumn().byName() && spec.labelColumn().byName()
                ? List.of() : List.of(spark.read().parquet(InputFiles.expand(spec.paths(),
                        spark.sparkContext().hadoopConfiguration()).toArray(String[]::new)).columns());
        String text = spec.textColumn().byName() ? spec.textColumn().name() : schema.get(spec.textColumn().index());
        String label = spec.labelColumn().byName() ? spec.labelColumn().name() : schema.get(spec.labelColumn().index());
        BadRecordPolicy policy = options.policy();
        JavaRDD<Outcome<LabelledText>> outcomes = ParquetRows.select(spark, spec.paths(), List.of(text, label)).javaRDD()
                .map(row -> parquetRow(row, text, label, policy));
        return new ReadResult<>(outcomes);
    }

    private static Outcome<LabelledText> parquetRow(Row row, String textColumn, String labelColumn, BadRecordPolicy policy) {
        Line where = new Line(ParquetRows.file(row, 2), ParquetRows.rowNumber(row, 2), "");
        String text = row.getString(0);
        String label = row.getString(1);
        if (text == null || label == null) {
            return Outcome.reject(where.bad(BadRecordReason.EMPTY_RECORD,
                    "column '" + (text == null ? textColumn : labelColumn) + "' is null"), policy);
        }
        return labelled(where, text, label, policy);
    }
}
