package org.sparkformer.driver.executor;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.tokenize.BertTokenizer;

import java.util.Iterator;

/**
 * Embeds a partition of DataFrame rows with an encoder resident in the executor, {@code batchSize} rows per
 * minibatch, lazily: each output row is the input row followed by its text's embedding as a Spark ML dense
 * {@code Vector} ({@link BatchEmbedder}).
 */
public final class RowEmbedder implements MapPartitionsFunction<Row, Row> {

    private final BroadcastInferenceModel shared;
    // the tokenizer travels in the task: it holds records, which Kryo (the broadcast serializer) cannot carry
    private final BertTokenizer tokenizer;
    private final int maxLength;
    private final int textIndex;
    private final String textCol;
    private final int batchSize;

    public RowEmbedder(BroadcastInferenceModel shared, BertTokenizer tokenizer, int maxLength, int textIndex, String textCol,
                       int batchSize) {
        this.shared = shared;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.textIndex = textIndex;
        this.textCol = textCol;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        long[] position = {0};
        return new ScoredBatches<>(rows, batchSize, shared,
                row -> encode(row, "row " + (++position[0]) + " of partition " + partition),
                (row, pooled) -> withEmbedding(row, pooled[0]), BatchEmbedder.MEAN_POOLED);
    }

    private EncodedSequence encode(Row row, String where) {
        if (row.isNullAt(textIndex)) {
            throw new IllegalArgumentException(where + ": text column '" + textCol + "' is null");
        }
        return LabelledEncoder.unlabelled(tokenizer, row.getString(textIndex), maxLength, where);
    }

    private static Row withEmbedding(Row row, float[] pooled) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        double[] v = new double[pooled.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = pooled[d];
        }
        values[row.length()] = Vectors.dense(v);
        return RowFactory.create(values);
    }
}
