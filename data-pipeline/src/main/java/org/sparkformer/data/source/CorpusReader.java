package org.sparkformer.data.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads an unlabelled corpus into {@link Document}s. */
public final class CorpusReader {

    private CorpusReader() {
    }

    public static ReadResult<Document> read(SparkSession spark, CorpusSpec spec, ReadOptions options) {
        return switch (spec.format()) {
            case TEXT -> TextFiles.read(spark, spec.paths(), options, CorpusReader::textDocuments);
            case JSONL -> TextFiles.read(spark, spec.paths(), options, jsonDocuments(spec.textColumn()));
            case PARQUET -> parquetDocuments(spark, spec, options);
        };
    }

    /** Consecutive non-blank lines form a document; blank lines end it. */
    static Iterator<Outcome<Document>> textDocuments(Iterator<Outcome<Line>> lines, BadRecordPolicy policy) {
        return new LineRecords<>(lines) {
            private final List<String> sentences = new ArrayList<>();
            private String file;
            private long firstLine;

            @Override
            protected Outcome<Document> onLine(Line line) {
                if (line.isBlank()) {
                    return sentences.isEmpty() ? null : emit();
                }
                if (sentences.isEmpty()) {
                    file = line.file();
                    firstLine = line.number();
                }
                sentences.add(line.text().strip());
                return null;
            }

            @Override
            protected Outcome<Document> atEnd() {
                return sentences.isEmpty() ? null : emit();
            }

            private Outcome<Document> emit() {
                Document doc = new Document(file, firstLine, sentences);
                sentences.clear();
                return Outcome.good(doc);
            }
        };
    }

    private static FileRecordParser<Document> jsonDocuments(String field) {
        JsonLineParser json = new JsonLineParser();
        return (lines, policy) -> new LineRecords<>(lines) {
            @Override
            protected Outcome<Document> onLine(Line line) {
                return json.parse(line, policy)
                        .then(node -> JsonLineParser.text(node, field, line, policy))
                        .then(text -> Outcome.good(new Document(line.file(), line.number(), sentencesOf(text))));
            }
        };
    }

    private static ReadResult<Document> parquetDocuments(SparkSession spark, CorpusSpec spec, ReadOptions options) {
        String column = spec.textColumn();
        BadRecordPolicy policy = options.policy();
        JavaRDD<Outcome<Document>> outcomes = ParquetRows.select(spark, spec.paths(), List.of(column)).javaRDD()
                .map(row -> parquetDocument(row, column, policy));
        return new ReadResult<>(outcomes);
    }

    private static Outcome<Document> parquetDocument(Row row, String column, BadRecordPolicy policy) {
        String file = ParquetRows.file(row, 1);
        long number = ParquetRows.rowNumber(row, 1);
        String text = row.getString(0);
        if (text == null || text.isBlank()) {
            return Outcome.reject(new BadRecord(file, number, BadRecordReason.EMPTY_RECORD,
                    "column '" + column + "' is " + (text == null ? "null" : "blank")), policy);
        }
        return Outcome.good(new Document(file, number, sentencesOf(text)));
    }

    /** The non-blank lines of a document's text. */
    static List<String> sentencesOf(String text) {
        return Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
