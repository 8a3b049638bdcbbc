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
import org.sparkformer.driver.executor.RowTagger;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.host.SupportedBackend;

import java.util.List;
import java.util.Map;

/**
 * A fitted Sparkformer token tagger as a Spark ML {@code Transformer}, as {@link SparkformerTagger} fits it.
 * {@code transform} keeps every input column and appends, each unless its column parameter is set to the empty
 * string:
 * <ul>
 *   <li>{@code predictedTags}: the predicted tag of each word, an {@code array<string>} as long as the words;</li>
 *   <li>{@code tagProbabilities}: the probability the model gives each predicted tag, an {@code array<double>}.</li>
 * </ul>
 * A word is scored at its first sub-token, as {@code sparkformer predict} does; a word cut off by the model's maximum
 * length has a null tag and a null probability. Rows are scored {@code batchSize} at a time with the model broadcast
 * once and kept resident in each executor.
 *
 * <p>{@code write().save(path)} stores Spark ML's parameter metadata ({@code metadata/}) and the model directory
 * ({@code model/}, the layout {@code sparkformer predict} reads); {@link #load} reads both back.
 */
public final class SparkformerTaggingModel extends Model<SparkformerTaggingModel> implements MLWritable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkformerTaggingModel.class);
    private static final String MODEL_DIR = "model";

    private final String uid;
    private final transient TrainedModel model;
    private final Map<String, Double> metrics;
    private final transient Provenance provenance;
    private final Param<String> wordsCol;
    private final Param<String> predictedTagsCol;
    private final Param<String> tagProbabilitiesCol;
    private final IntParam batchSize;
    private transient BroadcastInferenceModel shared;

    SparkformerTaggingModel(String uid, TrainedModel model, Map<String, Double> metrics, Provenance provenance) {
        if (model.config().task() != Task.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException("a tagging model needs a token-classification model, got task "
                    + model.config().task());
        }
        this.uid = uid;
        this.model = model;
        this.metrics = Map.copyOf(metrics);
        this.provenance = provenance;
        wordsCol = ClassifierParams.wordsCol(this);
        predictedTagsCol = ClassifierParams.predictedTagsCol(this);
        tagProbabilitiesCol = ClassifierParams.tagProbabilitiesCol(this);
        batchSize = ClassifierParams.batchSize(this);
        setDefault(wordsCol, ClassifierParams.WORDS_COL);
        setDefault(predictedTagsCol, ClassifierParams.PREDICTED_TAGS_COL);
        setDefault(tagProbabilitiesCol, ClassifierParams.TAG_PROBABILITIES_COL);
        setDefault(batchSize, SparkformerConfig.defaults().training().batchSize());
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The tags the model predicts, in the order of its output layer (sorted). */
    public List<String> tags() {
        return model.labels();
    }

    /** The underlying model (configuration, tokenizer, vocabulary, tags, parameters). */
    public TrainedModel trainedModel() {
        return model;
    }

    /** Figures from training: train.loss, train.rounds, train.steps. */
    public Map<String, Double> trainingMetrics() {
        return metrics;
    }

    // ---- parameters

    public Param<String> wordsCol() {
        return wordsCol;
    }

    public Param<String> predictedTagsCol() {
        return predictedTagsCol;
    }

    public Param<String> tagProbabilitiesCol() {
        return tagProbabilitiesCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public String getWordsCol() {
        return getOrDefault(wordsCol);
    }

    public String getPredictedTagsCol() {
        return getOrDefault(predictedTagsCol);
    }

    public String getTagProbabilitiesCol() {
        return getOrDefault(tagProbabilitiesCol);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public SparkformerTaggingModel setWordsCol(String value) {
        set(wordsCol, value);
        return this;
    }

    public SparkformerTaggingModel setPredictedTagsCol(String value) {
        set(predictedTagsCol, value);
        return this;
    }

    public SparkformerTaggingModel setTagProbabilitiesCol(String value) {
        set(tagProbabilitiesCol, value);
        return this;
    }

    public SparkformerTaggingModel setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    // ---- the transformer

    @Override
    public StructType transformSchema(StructType schema) {
        String stage = "SparkformerTaggingModel " + uid;
        ClassifierSchema.requireStringArray(schema, getWordsCol(), "words", stage);
        return ClassifierSchema.withTagOutputs(schema, getPredictedTagsCol(), getTagProbabilitiesCol(), stage);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        SupportedBackend.require();
        StructType out = transformSchema(dataset.schema(), true);
        RowTagger.Outputs outputs = new RowTagger.Outputs(!getPredictedTagsCol().isEmpty(),
                !getTagProbabilitiesCol().isEmpty());
        if (!outputs.tags() && !outputs.probabilities()) {
            LOG.warn("{}: every output column is set to the empty string; transform returns its input", uid);
            return dataset.toDF();
        }
        LabelledEncoder encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()),
                model.tokenizerSettings().maxLength(), BadRecordPolicy.FAIL);
        RowTagger tagger = new RowTagger(shared(dataset.sparkSession()), encoder, model.labels(),
                dataset.schema().fieldIndex(getWordsCol()), getWordsCol(), getBatchSize(), outputs);
        return dataset.toDF().mapPartitions(tagger, Encoders.row(out));
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
    public SparkformerTaggingModel copy(ParamMap extra) {
        SparkformerTaggingModel copy = new SparkformerTaggingModel(uid, model, metrics, provenance);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    // ---- saving and loading

    @Override
    public MLWriter write() {
        return new StageWriter(this, Map.of(),
                (fs, dir) -> model.save(fs, new Path(dir, MODEL_DIR), metrics, provenance, null, false));
    }

    public static MLReader<SparkformerTaggingModel> read() {
        return new StageReader<>(SparkformerTaggingModel.class, (uid, metadata, fs, dir) -> {
            Path modelDir = new Path(dir, MODEL_DIR);
            ModelFiles files = TrainedModel.readFiles(fs, modelDir);
            return new SparkformerTaggingModel(uid, TrainedModel.fromFiles(files, modelDir.toString()), files.metrics(),
                    files.provenance());
        });
    }

    public static SparkformerTaggingModel load(String path) {
        return read().load(path);
    }
}
