package org.sparkformer.driver.inference;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.driver.executor.BroadcastInferenceModel;
import org.sparkformer.driver.executor.PredictionInput;
import org.sparkformer.driver.executor.PredictionRows;
import org.sparkformer.driver.executor.PredictionTask;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.Task;

/**
 * Batch inference with a classification model on the executors. The parameters are broadcast, the text encoder travels with the tasks;
 * each partition encodes its records exactly as evaluation does ({@link LabelledEncoder}, so a tagger's words map to
 * their first sub-tokens through {@link WordAlignment}), scores them {@code batchSize} at a time with a model
 * resident in its executor, and yields one output row per record, lazily. Close it when the rows are written.
 */
public final class Predictor implements AutoCloseable {

    private final TrainedModel model;
    private final BroadcastInferenceModel shared;
    private final LabelledEncoder encoder;
    private final int batchSize;

    /**
     * @param maxLength tokens per sequence after truncation, as the model was trained
     * @param batchSize records scored per minibatch
     */
    public Predictor(SparkSession spark, TrainedModel model, int maxLength, int batchSize) {
        Task task = model.config().task();
        if (task != Task.SEQUENCE_CLASSIFICATION && task != Task.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException("predict needs a sequence- or token-classification model, got task " + task);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("prediction batch size must be at least 1, got " + batchSize);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.model = model;
        this.batchSize = batchSize;
        this.shared = BroadcastInferenceModel.broadcast(jsc, model.config(), model.params());
        // label ids are only placeholders here: predictions never read the gold label. The encoder travels in the
        // task (PredictionTask): its tokenizer holds records, which Kryo (the broadcast serializer) cannot carry
        this.encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()), maxLength, BadRecordPolicy.FAIL);
    }

    public boolean tagging() {
        return model.config().task() == Task.TOKEN_CLASSIFICATION;
    }

    /** The output rows of {@code inputs} as {@code rows} lays them out (one per input, same partitions and order). */
    public Dataset<Row> predict(SparkSession spark, JavaRDD<PredictionInput> inputs, PredictionRows rows) {
        PredictionTask task = new PredictionTask(shared, encoder, tagging(), model.labels().get(0), batchSize, rows);
        return spark.createDataFrame(inputs.mapPartitions(task), rows.schema());
    }

    @Override
    public void close() {
        shared.release();
    }
}
