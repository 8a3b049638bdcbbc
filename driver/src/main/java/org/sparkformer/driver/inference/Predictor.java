package org.sparkformer.driver.inference;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.batch.WordAlignment;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.driver.executor.BroadcastInferenceModel;
import org.sparkformer.driver.executor.ScoredBatches;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;

import java.util.Arrays;

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
        // task closure: its tokenizer holds records, which Kryo (the broadcast serializer) cannot carry
        this.encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()), maxLength, BadRecordPolicy.FAIL);
    }

    public boolean tagging() {
        return model.config().task() == Task.TOKEN_CLASSIFICATION;
    }

    /** The output rows of {@code inputs} as {@code rows} lays them out (one per input, same partitions and order). */
    public Dataset<Row> predict(SparkSession spark, JavaRDD<PredictionInput> inputs, PredictionRows rows) {
        BroadcastInferenceModel sharedModel = shared;
        LabelledEncoder enc = encoder;
        boolean tagging = tagging();
        String placeholder = model.labels().get(0);
        int size = batchSize;
        JavaRDD<Row> out = inputs.mapPartitions(it -> new ScoredBatches<>(it, size, sharedModel,
                input -> encode(input, enc, tagging, placeholder), rows::row));
        return spark.createDataFrame(out, rows.schema());
    }

    /** Frees the broadcast parameters. */
    @Override
    public void close() {
        shared.release();
    }

    /** The sequence to score for one record: the text, or the words with their first sub-tokens marked. */
    private static EncodedSequence encode(PredictionInput input, LabelledEncoder encoder, boolean tagging, String placeholder) {
        if (!tagging) {
            return encoder.sequence(new LabelledText(input.file(), input.line(), input.text(), placeholder)).value();
        }
        WordAlignment alignment = encoder.align(input.words());
        int[] targets = new int[alignment.tokenIds().length];
        Arrays.fill(targets, MiniBatch.IGNORE);
        for (int start : alignment.wordStarts()) {
            targets[start] = 0;
        }
        return new EncodedSequence(alignment.tokenIds(), targets, MiniBatch.IGNORE, alignment.truncated(), input.source());
    }
}
