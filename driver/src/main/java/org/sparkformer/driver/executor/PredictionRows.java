package org.sparkformer.driver.executor;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The layout of prediction output. One row per input record, in input order within each part file.
 *
 * <p>Sequence classification: {@code source} ("file:line"), {@code text}, {@code label} (the gold label, only for
 * labelled input), {@code prediction} (label name) and {@code probabilities}, a map label -> probability.
 *
 * <p>Token classification: {@code source}, {@code words}, {@code tags} (gold, only for labelled input),
 * {@code prediction} (one tag per word) and {@code probabilities} (one label -> probability map per word, read at the
 * word's first sub-token). Words cut off by the maximum length have a null prediction and null probabilities.
 *
 * <p>CSV cannot hold nested values: the probabilities become one column {@code p_<label>} per label, and a tagger's
 * words, tags, predictions and per-word probabilities are joined with single spaces ({@code _} for a word without a
 * prediction). A tagger's tags that CSV could not give back are refused when the layout is made: a tag that holds
 * whitespace or is {@code _} (the joined lists could not be split back into one tag per word).
 */
public final class PredictionRows implements Serializable {

    static final String MISSING = "_";

    private final List<String> labels;
    private final boolean tagging;
    private final boolean labelled;
    private final boolean nested;

    /**
     * @param nested whether the output format holds nested values (Parquet and JSON Lines do, CSV does not)
     */
    public PredictionRows(List<String> labels, boolean tagging, boolean labelled, boolean nested) {
        if (!nested) {
            String problem = csvProblem(labels, tagging);
            if (problem != null) {
                throw new IllegalArgumentException(problem + "; write the predictions as jsonl or parquet instead");
            }
        }
        this.labels = List.copyOf(labels);
        this.tagging = tagging;
        this.labelled = labelled;
        this.nested = nested;
    }

    public StructType schema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("source", DataTypes.StringType, false));
        DataType perRecord = tagging && nested ? DataTypes.createArrayType(DataTypes.StringType, true)
                : DataTypes.StringType;
        fields.add(DataTypes.createStructField(tagging ? "words" : "text", perRecord, false));
        if (labelled) {
            fields.add(DataTypes.createStructField(tagging ? "tags" : "label", perRecord, true));
        }
        fields.add(DataTypes.createStructField("prediction", perRecord, true));
        if (nested) {
            DataType distribution = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false);
            fields.add(DataTypes.createStructField("probabilities",
                    tagging ? DataTypes.createArrayType(distribution, true) : distribution, true));
        } else {
            for (String label : labels) {
                fields.add(DataTypes.createStructField("p_" + label, tagging ? DataTypes.StringType : DataTypes.DoubleType, true));
            }
        }
        return DataTypes.createStructType(fields);
    }

    /** Why predictions with these labels cannot be written as CSV, or null when they can. */
    static String csvProblem(List<String> labels, boolean tagging) {
        if (!tagging) {
            return null;
        }
        for (String tag : labels) {
            if (tag.equals(MISSING)) {
                return "tag \"" + tag + "\" is " + MISSING + ", the CSV mark of a word without a prediction";
            }
            if (tag.codePoints().anyMatch(Character::isWhitespace)) {
                return "tag \"" + tag + "\" holds whitespace, and CSV joins a sentence's tags with spaces";
            }
        }
        return null;
    }

    /** The row of {@code input} given the logits of its targets (one, or one per kept word). */
    public Row row(PredictionInput input, float[][] logits) {
        List<Object> values = new ArrayList<>();
        values.add(input.source());
        if (tagging) {
            taggingValues(input, logits, values);
        } else {
            sequenceValues(input, logits[0], values);
        }
        return RowFactory.create(values.toArray());
    }

    private void sequenceValues(PredictionInput input, float[] logits, List<Object> values) {
        values.add(input.text());
        if (labelled) {
            values.add(input.label());
        }
        values.add(labels.get(Scores.argmax(logits)));
        double[] p = Scores.softmax(logits);
        if (nested) {
            values.add(distribution(p));
        } else {
            for (double v : p) {
                values.add(v);
            }
        }
    }

    private void taggingValues(PredictionInput input, float[][] logits, List<Object> values) {
        List<String> words = input.words();
        List<String> predicted = new ArrayList<>(words.size());
        List<double[]> probabilities = new ArrayList<>(words.size());
        for (int w = 0; w < words.size(); w++) {
            boolean kept = w < logits.length;
            predicted.add(kept ? labels.get(Scores.argmax(logits[w])) : null);
            probabilities.add(kept ? Scores.softmax(logits[w]) : null);
        }
        values.add(sequence(words));
        if (labelled) {
            values.add(input.tags() == null ? null : sequence(input.tags()));
        }
        values.add(sequence(predicted));
        if (nested) {
            values.add(CollectionConverters.asScala(probabilities.stream()
                    .map(p -> p == null ? null : distribution(p)).toList()).toSeq());
        } else {
            for (int l = 0; l < labels.size(); l++) {
                int label = l;
                values.add(probabilities.stream().map(p -> p == null ? MISSING : Double.toString(p[label]))
                        .collect(Collectors.joining(" ")));
            }
        }
    }

    /** A list of words or tags: an array, or space-joined text for CSV. */
    private Object sequence(List<String> items) {
        if (nested) {
            return CollectionConverters.asScala(items).toSeq();
        }
        return items.stream().map(s -> s == null ? MISSING : s).collect(Collectors.joining(" "));
    }

    private scala.collection.Map<String, Double> distribution(double[] p) {
        Map<String, Double> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            byLabel.put(labels.get(i), p[i]);
        }
        return CollectionConverters.asScala(byLabel);
    }

    @Override
    public String toString() {
        return "PredictionRows" + Arrays.asList(labels, tagging, labelled, nested);
    }
}
