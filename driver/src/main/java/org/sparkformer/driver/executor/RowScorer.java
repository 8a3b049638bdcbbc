package org.sparkformer.driver.executor;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.source.LabelledText;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Scores a partition of DataFrame rows with a sequence classifier resident in the executor, {@code batchSize} rows
 * per minibatch, lazily: each output row is the input row followed by the probability vector, the prediction
 * (a double) and the predicted label, each only when its column is wanted.
 */
public final class RowScorer implements MapPartitionsFunction<Row, Row> {

    /** Which output columns to append, in this order. */
    public record Outputs(boolean probability, boolean prediction, boolean predictedLabel) implements java.io.Serializable {
    }

    private final BroadcastInferenceModel shared;
    private final LabelledEncoder encoder;
    private final List<String> labels;
    private final double[] predictions;
    private final int textIndex;
    private final String textCol;
    private final int batchSize;
    private final Outputs outputs;

    /**
     * @param predictions the prediction column's value of each label, by label id
     */
    public RowScorer(BroadcastInferenceModel shared, LabelledEncoder encoder, List<String> labels, double[] predictions, int textIndex,
              String textCol, int batchSize, Outputs outputs) {
        this.shared = shared;
        this.encoder = encoder;
        this.labels = List.copyOf(labels);
        this.predictions = predictions.clone();
        this.textIndex = textIndex;
        this.textCol = textCol;
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
                (row, scores) -> withScores(row, scores[0]));
    }

    private EncodedSequence encode(Row row, String where) {
        if (row.isNullAt(textIndex)) {
            throw new IllegalArgumentException(where + ": text column '" + textCol + "' is null");
        }
        // the label is a placeholder: the encoder needs one, the prediction never reads it
        return encoder.sequence(new LabelledText("dataframe", 0, row.getString(textIndex), labels.get(0))).value();
    }

    private Row withScores(Row row, float[] logits) {
        List<Object> values = new ArrayList<>(row.length() + 3);
        for (int i = 0; i < row.length(); i++) {
            values.add(row.get(i));
        }
        int best = Scores.argmax(logits);
        if (outputs.probability()) {
            values.add(Vectors.dense(Scores.softmax(logits)));
        }
        if (outputs.prediction()) {
            values.add(predictions[best]);
        }
        if (outputs.predictedLabel()) {
            values.add(labels.get(best));
        }
        return RowFactory.create(values.toArray());
    }
}
