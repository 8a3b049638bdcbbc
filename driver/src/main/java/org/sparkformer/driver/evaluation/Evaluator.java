package org.sparkformer.driver.evaluation;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MaskingPolicy;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.batch.Seeds;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.executor.BroadcastInferenceModel;
import org.sparkformer.driver.executor.ClassificationTally;
import org.sparkformer.driver.executor.ClassificationTallyTask;
import org.sparkformer.driver.executor.LanguageModelTally;
import org.sparkformer.driver.executor.MaskedLmTallyTask;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;

import java.util.List;

/**
 * Evaluates a set of parameters on an RDD of encoded sequences, on the executors: the parameters are broadcast, each
 * partition's task ({@link ClassificationTallyTask}, {@link MaskedLmTallyTask}) scores its sequences in minibatches
 * with a model resident in its executor and tallies a partial, and the partials are merged with {@code
 * treeAggregate}. Every sequence is scored exactly once; nothing but the tallies reaches the driver.
 */
public final class Evaluator {

    /** Stream under the job seed from which masked-LM evaluation masking derives (then partition, epoch 0, index). */
    static final long MASKING_STREAM = 0x45564C;

    private Evaluator() {
    }

    /**
     * Classification metrics of a sequence- or token-classification model given by {@code config} and {@code params}
     * on {@code data} (encoded with the label ids of {@code labels}).
     *
     * @param labels    label names, id = index; as many as the model has outputs
     * @param batchSize sequences per scoring minibatch
     */
    public static ClassificationMetrics classification(JavaRDD<EncodedSequence> data, TransformerConfig config,
                                                       float[] params, List<String> labels, int batchSize) {
        Task task = config.task();
        if (task != Task.SEQUENCE_CLASSIFICATION && task != Task.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException("classification metrics need a classification model, got task " + task);
        }
        if (labels.size() != config.numLabels()) {
            throw new IllegalArgumentException(labels.size() + " labels given for a model with " + config.numLabels() + " outputs");
        }
        requirePositive(batchSize);
        int numLabels = config.numLabels();
        BroadcastInferenceModel shared = BroadcastInferenceModel.broadcast(JavaSparkContext.fromSparkContext(data.context()), config, params);
        try {
            ClassificationTally tally = data
                    .mapPartitions(new ClassificationTallyTask(shared, numLabels, batchSize))
                    .treeAggregate(new ClassificationTally(numLabels), ClassificationTally::merge, ClassificationTally::merge);
            return new ClassificationMetrics(labels, tally);
        } finally {
            shared.release();
        }
    }

    /** {@link #classification(JavaRDD, TransformerConfig, float[], List, int)} for a trained model. */
    public static ClassificationMetrics classification(JavaRDD<EncodedSequence> data, TrainedModel model, int batchSize) {
        return classification(data, model.config(), model.params(), model.labels(), batchSize);
    }

    /**
     * Masked-LM loss and perplexity of a masked-LM model on {@code data}. Masking is deterministic: sequence {@code i}
     * of partition {@code p} is masked with a seed derived from ({@code jobSeed}, evaluation stream, p, epoch 0, i),
     * the same in every run over the same partitions.
     */
    public static LanguageModelMetrics maskedLm(JavaRDD<EncodedSequence> data, TransformerConfig config, float[] params,
                                                Vocabulary vocabulary, MaskingPolicy masking, long jobSeed, int batchSize) {
        if (config.task() != Task.MASKED_LM) {
            throw new IllegalArgumentException("masked-LM metrics need a MASKED_LM model, got task " + config.task());
        }
        requirePositive(batchSize);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.context());
        BatchConfig batches = new BatchConfig(batchSize, Objective.MASKED_LM, masking, false, 1);
        long seed = Seeds.derive(jobSeed, MASKING_STREAM);
        BroadcastInferenceModel shared = BroadcastInferenceModel.broadcast(jsc, config, params);
        try {
            LanguageModelTally tally = data
                    .mapPartitionsWithIndex(new MaskedLmTallyTask(shared, vocabulary, batches, seed), false)
                    .treeAggregate(new LanguageModelTally(), LanguageModelTally::merge, LanguageModelTally::merge);
            return new LanguageModelMetrics(tally);
        } finally {
            shared.release();
        }
    }

    /** {@link #maskedLm(JavaRDD, TransformerConfig, float[], Vocabulary, MaskingPolicy, long, int)} for a trained model. */
    public static LanguageModelMetrics maskedLm(JavaRDD<EncodedSequence> data, TrainedModel model, MaskingPolicy masking,
                                                long jobSeed, int batchSize) {
        return maskedLm(data, model.config(), model.params(), model.vocabulary(), masking, jobSeed, batchSize);
    }

    private static void requirePositive(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluation batch size must be at least 1, got " + batchSize);
        }
    }
}
