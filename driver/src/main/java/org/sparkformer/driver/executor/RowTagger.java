package org.sparkformer.driver.executor;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Tags a partition of DataFrame rows, each an array of words, with a token classifier resident in the executor,
 * {@code batchSize} rows per minibatch, lazily. Each output row is the input row followed by, each only when
 * wanted, the predicted tag of every word and that tag's probability, read at the word's first sub-token as batch
 * prediction reads them ({@link PredictionTask#words}). A word cut off by the maximum length has a null tag and
 * a null probability.
 */
public final class RowTagger implements MapPartitionsFunction<Row, Row> {

    /** Which output columns to append, in this order. */
    public record Outputs(boolean tags, boolean probabilities) implements java.io.Serializable {
    }

    private final BroadcastInferenceModel shared;
    private final LabelledEncoder encoder;
    private final List<String> labels;
    private final int wordsIndex;
    private final String wordsCol;
    private final int batchSize;
    private final Outputs outputs;

    public RowTagger(BroadcastInferenceModel shared, LabelledEncoder encoder, List<String> labels, int wordsIndex,
                     String wordsCol, int batchSize, Outputs outputs) {
        this.shared = shared;
        this.encoder = encoder;
        this.labels = List.copyOf(labels);
        this.wordsIndex = wordsIndex;
        this.wordsCol = wordsCol;
        this.batchSize = batchSize;
        this.outputs = outputs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        long[] position = {0};
        return new ScoredBatches<>(rows, batchSize, shared,
                row -> encode(row, "row " + (++position[0]) + " of partition " + partition),
                this::withTags);
    }

    private EncodedSequence encode(Row row, String where) {
        return PredictionTask.words(encoder, words(row, wordsIndex, wordsCol, where), where);
    }

    /** The words of a row's array column; a null array or a null word is an error naming the column. */
    public static List<String> words(Row row, int index, String column, String where) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException(where + ": words column '" + column + "' is null");
        }
        List<String> words = row.getList(index);
        for (int w = 0; w < words.size(); w++) {
            if (words.get(w) == null) {
                throw new IllegalArgumentException(where + ": words column '" + column + "' holds a null word at"
                        + " position " + w);
            }
        }
        return words;
    }

    private Row withTags(Row row, float[][] logits) {
        int words = row.getList(wordsIndex).size();
        List<String> tags = new ArrayList<>(words);
        List<Double> probabilities = new ArrayList<>(words);
        for (int w = 0; w < words; w++) {
            if (w < logits.length) {
                int best = Scores.argmax(logits[w]);
                tags.add(labels.get(best));
                probabilities.add(Scores.softmax(logits[w])[best]);
            } else {
                tags.add(null);
                probabilities.add(null);
            }
        }
        List<Object> values = new ArrayList<>(row.length() + 2);
        for (int i = 0; i < row.length(); i++) {
            values.add(row.get(i));
        }
        if (outputs.tags()) {
            values.add(CollectionConverters.asScala(tags).toSeq());
        }
        if (outputs.probabilities()) {
            values.add(CollectionConverters.asScala(probabilities).toSeq());
        }
        return RowFactory.create(values.toArray());
    }
}
