package org.sparkformer.driver.inference;

import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.Column;
import org.sparkformer.data.source.ConllReader;
import org.sparkformer.data.source.ConllSpec;
import org.sparkformer.data.source.FileRecordParser;
import org.sparkformer.data.source.LabelledFormat;
import org.sparkformer.data.source.LabelledSpec;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.LabelledTextReader;
import org.sparkformer.data.source.Line;
import org.sparkformer.data.source.Outcome;
import org.sparkformer.data.source.ReadOptions;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TextFiles;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.executor.PredictionInput;

import java.util.Iterator;

/**
 * Reads the records to predict on from any Hadoop path in the configured {@code data.format}, with the data section's
 * columns and bad-record policy:
 * <ul>
 *   <li>{@code text}: one text per line (a blank line is a bad record);</li>
 *   <li>{@code tsv}, {@code csv}, {@code jsonl}, {@code parquet}: the {@code data.textColumn} of each row; with
 *       {@code labelled}, also {@code data.labelColumn} (then a row without one is a bad record);</li>
 *   <li>{@code conll}: sentences of words with their tags (the CoNLL reader needs a tag column).</li>
 * </ul>
 * Texts given to a tagger are split into words on whitespace.
 */
public final class PredictionReader {

    private final SparkSession spark;
    private final DataSection data;
    private final ReadOptions options;

    public PredictionReader(SparkSession spark, DataSection data, ReadOptions options) {
        this.spark = spark;
        this.data = data;
        this.options = options;
    }

    /** The records of {@code paths}; {@code labelled}: keep the gold label column. */
    public ReadResult<PredictionInput> read(String paths, boolean labelled) {
        return switch (data.format()) {
            case "text" -> TextFiles.read(spark, paths, options, lines());
            case "conll" -> ConllReader.read(spark, ConllSpec.of(paths), options)
                    .then(s -> Outcome.good(PredictionInput.words(s.file(), s.line(), s.words(), labelled ? s.tags() : null)));
            default -> delimited(paths, labelled);
        };
    }

    private ReadResult<PredictionInput> delimited(String paths, boolean labelled) {
        Column text = Column.parse(data.textColumn());
        // unlabelled input: read the text column in the label's place too, so no label column is required
        Column label = labelled ? Column.parse(data.labelColumn()) : text;
        LabelledSpec spec = new LabelledSpec(paths, LabelledFormat.parse(data.format()), data.header(), text, label);
        ReadResult<LabelledText> read = LabelledTextReader.read(spark, spec, options);
        return read.then(t -> Outcome.good(PredictionInput.text(t.file(), t.line(), t.text(), labelled ? t.label() : null)));
    }

    private static FileRecordParser<PredictionInput> lines() {
        return (lines, policy) -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Outcome<PredictionInput> next() {
                Outcome<Line> outcome = lines.next();
                if (!outcome.isGood()) {
                    return Outcome.skipped(outcome.bad());
                }
                Line line = outcome.value();
                if (line.isBlank()) {
                    return Outcome.reject(line.bad(BadRecordReason.EMPTY_RECORD, "blank line"), policy);
                }
                return Outcome.good(PredictionInput.text(line.file(), line.number(), line.text().strip(), null));
            }
        };
    }
}
