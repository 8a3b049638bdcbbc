package org.sparkformer.driver.ml;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.executor.BroadcastInferenceModel;
import org.sparkformer.driver.executor.RowScorer;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.host.SupportedBackend;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A fitted Sparkformer sequence classifier as a Spark ML {@code Transformer}. {@code transform} keeps every input
 * column and appends, each unless its column parameter is set to the empty string:
 * <ul>
 *   <li>{@code probability}: a Spark ML {@code Vector} of class probabilities in the order of {@link #labels()};</li>
 *   <li>{@code prediction}: a double, as Spark's classifiers give it: for a numeric label column (e.g. a
 *       {@code StringIndexer}'s output) the predicted label's value, so {@code MulticlassClassificationEvaluator}
 *       compares it with the label column directly; for a string label column the predicted label's index in
 *       {@link #labels()} (alphabetical order);</li>
 *   <li>{@code predictedLabel}: the predicted label as a string.</li>
 * </ul>
 * Rows are scored {@code batchSize} at a time with the model broadcast once and kept resident in each executor.
 *
 * <p>{@code write().save(path)} stores Spark ML's parameter metadata ({@code metadata/}) and the model directory
 * ({@code model/}, the layout {@code sparkformer predict} reads); {@link #load} reads both back.
 */
public final class SparkformerClassificationModel extends Model<SparkformerClassificationModel>
        implements MLWritable, ScoringParams {

    private static final Logger LOG = LoggerFactory.getLogger(SparkformerClassificationModel.class);
    private static final String MODEL_DIR = "model";
    private static final String LABEL_KIND = "labelKind";

    private final String uid;
    private final transient TrainedModel model;
    private final LabelKind labelKind;
    private final Map<String, Double> metrics;
    private final transient Provenance provenance;
    private final Param<String> textCol;
    private final Param<String> predictionCol;
    private final Param<String> predictedLabelCol;
    private final Param<String> probabilityCol;
    private final IntParam batchSize;
    private transient BroadcastInferenceModel shared;

    SparkformerClassificationModel(String uid, TrainedModel model, LabelKind labelKind, Map<String, Double> metrics,
                                   Provenance provenance) {
        if (model.config().task() != Task.SEQUENCE_CLASSIFICATION) {
            throw new IllegalArgumentException("a classification model needs a sequence-classification model, got task "
                    + model.config().task());
        }
        if (labelKind == LabelKind.NUMERIC) {
            for (String label : model.labels()) {
                try {
                    Double.parseDouble(label);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("label '" + label + "' of a numeric label column is not a number");
                }
            }
        }
        this.uid = uid;
        this.model = model;
        this.labelKind = labelKind;
        this.metrics = Map.copyOf(metrics);
        this.provenance = provenance;
        textCol = ClassifierParams.textCol(this);
        predictionCol = ClassifierParams.predictionCol(this);
        predictedLabelCol = ClassifierParams.predictedLabelCol(this);
        probabilityCol = ClassifierParams.probabilityCol(this);
        batchSize = ClassifierParams.batchSize(this);
        setDefault(textCol, ClassifierParams.TEXT_COL);
        setDefault(predictionCol, ClassifierParams.PREDICTION_COL);
        setDefault(predictedLabelCol, ClassifierParams.PREDICTED_LABEL_COL);
        setDefault(probabilityCol, ClassifierParams.PROBABILITY_COL);
        setDefault(batchSize, SparkformerConfig.defaults().training().batchSize());
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The labels in output order: the probability vector's order and, for string labels, the prediction's index. */
    public List<String> labels() {
        return model.labels();
    }

    public int numClasses() {
        return model.labels().size();
    }

    /** The underlying model (configuration, tokenizer, vocabulary, labels, parameters). */
    public TrainedModel trainedModel() {
        return model;
    }

    /** Figures from training: train.loss, train.rounds, train.steps. */
    public Map<String, Double> trainingMetrics() {
        return metrics;
    }

    // ---- parameters

    @Override
    public Param<String> textCol() {
        return textCol;
    }

    @Override
    public Param<String> predictionCol() {
        return predictionCol;
    }

    @Override
    public Param<String> predictedLabelCol() {
        return predictedLabelCol;
    }

    @Override
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    @Override
    public IntParam batchSize() {
        return batchSize;
    }

    public SparkformerClassificationModel setTextCol(String value) {
        set(textCol, value);
        return this;
    }

    public SparkformerClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public SparkformerClassificationModel setPredictedLabelCol(String value) {
        set(predictedLabelCol, value);
        return this;
    }

    public SparkformerClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public SparkformerClassificationModel setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    // ---- the transformer

    @Override
    public StructType transformSchema(StructType schema) {
        String stage = "SparkformerClassificationModel " + uid;
        ClassifierSchema.requireText(schema, getTextCol(), stage);
        return ClassifierSchema.withOutputs(schema, getProbabilityCol(), getPredictionCol(), getPredictedLabelCol(), stage);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        SupportedBackend.require();
        StructType out = transformSchema(dataset.schema(), true);
        RowScorer.Outputs outputs = ClassifierSchema.outputs(getProbabilityCol(), getPredictionCol(), getPredictedLabelCol());
        if (!outputs.probability() && !outputs.prediction() && !outputs.predictedLabel()) {
            LOG.warn("{}: every output column is set to the empty string; transform returns its input", uid);
            return dataset.toDF();
        }
        LabelledEncoder encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()),
                model.tokenizerSettings().maxLength(), BadRecordPolicy.FAIL);
        List<String> labels = model.labels();
        double[] predictions = IntStream.range(0, labels.size()).mapToDouble(i -> labelKind.prediction(i, labels.get(i))).toArray();
        RowScorer scorer = new RowScorer(shared(dataset.sparkSession()), encoder, labels, predictions,
                dataset.schema().fieldIndex(getTextCol()), getTextCol(), getBatchSize(), outputs);
        return dataset.toDF().mapPartitions(scorer, Encoders.row(out));
    }

    /** The parameters broadcast once and reused by every transform (the broadcast lives as long as this model). */
    private synchronized BroadcastInferenceModel shared(SparkSession spark) {
        if (shared == null) {
            shared = BroadcastInferenceModel.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), model.config(),
                    model.params());
        }
        return shared;
    }

    @Override
    public SparkformerClassificationModel copy(ParamMap extra) {
        SparkformerClassificationModel copy = new SparkformerClassificationModel(uid, model, labelKind, metrics, provenance);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    // ---- saving and loading

    @Override
    public MLWriter write() {
        return new StageWriter(this, Map.of(LABEL_KIND, labelKind.id()),
                (fs, dir) -> model.save(fs, new Path(dir, MODEL_DIR), metrics, provenance, null, false));
    }

    public static MLReader<SparkformerClassificationModel> read() {
        return new StageReader<>(SparkformerClassificationModel.class, (uid, metadata, fs, dir) -> {
            String where = new Path(dir, StageMetadata.FILE).toString();
            LabelKind kind = LabelKind.parse(StageMetadata.text(metadata, LABEL_KIND, where), where);
            Path modelDir = new Path(dir, MODEL_DIR);
            ModelFiles files = TrainedModel.readFiles(fs, modelDir);
            return new SparkformerClassificationModel(uid, TrainedModel.fromFiles(files, modelDir.toString()), kind,
                    files.metrics(), files.provenance());
        });
    }

    public static SparkformerClassificationModel load(String path) {
        return read().load(path);
    }
}
