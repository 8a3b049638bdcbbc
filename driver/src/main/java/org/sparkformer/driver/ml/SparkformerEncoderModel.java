package org.sparkformer.driver.ml;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
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
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.executor.BroadcastInferenceModel;
import org.sparkformer.driver.executor.RowEmbedder;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.host.SupportedBackend;

import java.util.Arrays;
import java.util.Map;

/**
 * A pretrained Sparkformer encoder as a Spark ML {@code Transformer}, as {@link SparkformerPretrainer} fits it.
 * {@code transform} keeps every input column and appends {@code embedding}: the encoder's final hidden states
 * averaged over each text's tokens ([CLS] and [SEP] included), a dense {@code Vector} of {@link #dimension()} values,
 * so that any MLlib estimator can take the encoder's features. The same text always gives the same vector.
 *
 * <p>It is also a starting point for fine-tuning: {@code new SparkformerClassifier().setPretrained(encoder)} (or
 * {@link SparkformerTagger#setPretrained}) trains from its weights, vocabulary and tokenizer.
 *
 * <p>{@code write().save(path)} stores Spark ML's parameter metadata ({@code metadata/}) and the model directory
 * ({@code model/}, the layout {@code sparkformer pretrain} writes and {@code sparkformer finetune --model} reads).
 */
public final class SparkformerEncoderModel extends Model<SparkformerEncoderModel> implements MLWritable {

    private static final String MODEL_DIR = "model";

    private final String uid;
    private final transient TrainedModel model;
    private final Map<String, Double> metrics;
    private final transient Provenance provenance;
    private final Param<String> textCol;
    private final Param<String> embeddingCol;
    private final IntParam batchSize;
    private transient BroadcastInferenceModel shared;

    SparkformerEncoderModel(String uid, TrainedModel model, Map<String, Double> metrics, Provenance provenance) {
        this.uid = uid;
        this.model = model;
        this.metrics = Map.copyOf(metrics);
        this.provenance = provenance;
        textCol = ClassifierParams.textCol(this, "to embed");
        embeddingCol = ClassifierParams.embeddingCol(this);
        batchSize = ClassifierParams.batchSize(this);
        setDefault(textCol, ClassifierParams.TEXT_COL);
        setDefault(embeddingCol, ClassifierParams.EMBEDDING_COL);
        setDefault(batchSize, SparkformerConfig.defaults().training().batchSize());
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The underlying model (configuration, tokenizer, vocabulary, parameters). */
    public TrainedModel trainedModel() {
        return model;
    }

    /** The size of an embedding: the model's width. */
    public int dimension() {
        return model.config().dModel();
    }

    /** Figures from pretraining: train.loss, train.perplexity, train.rounds, train.steps. */
    public Map<String, Double> trainingMetrics() {
        return metrics;
    }

    Provenance provenance() {
        return provenance;
    }

    // ---- parameters

    public Param<String> textCol() {
        return textCol;
    }

    public Param<String> embeddingCol() {
        return embeddingCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public String getTextCol() {
        return getOrDefault(textCol);
    }

    public String getEmbeddingCol() {
        return getOrDefault(embeddingCol);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public SparkformerEncoderModel setTextCol(String value) {
        set(textCol, value);
        return this;
    }

    public SparkformerEncoderModel setEmbeddingCol(String value) {
        set(embeddingCol, value);
        return this;
    }

    public SparkformerEncoderModel setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    // ---- the transformer

    @Override
    public StructType transformSchema(StructType schema) {
        return withEmbedding(schema, getTextCol(), getEmbeddingCol(), "SparkformerEncoderModel " + uid);
    }

    /** {@code schema} with its text column checked and the embedding column appended. */
    static StructType withEmbedding(StructType schema, String textCol, String embeddingCol, String stage) {
        ClassifierSchema.requireText(schema, textCol, stage);
        if (embeddingCol.isEmpty()) {
            throw new IllegalArgumentException(stage + ": embeddingCol must name a column");
        }
        if (Arrays.asList(schema.fieldNames()).contains(embeddingCol)) {
            throw new IllegalArgumentException(stage + ": output column '" + embeddingCol + "' already exists in the input");
        }
        return schema.add(new StructField(embeddingCol, SQLDataTypes.VectorType(), false, Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        SupportedBackend.require();
        StructType out = transformSchema(dataset.schema(), true);
        RowEmbedder embedder = new RowEmbedder(shared(dataset.sparkSession()), model.tokenizer(),
                model.tokenizerSettings().maxLength(), dataset.schema().fieldIndex(getTextCol()), getTextCol(),
                getBatchSize());
        return dataset.toDF().mapPartitions(embedder, Encoders.row(out));
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
    public SparkformerEncoderModel copy(ParamMap extra) {
        SparkformerEncoderModel copy = new SparkformerEncoderModel(uid, model, metrics, provenance);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    // ---- saving and loading

    @Override
    public MLWriter write() {
        return new StageWriter(this, Map.of(),
                (fs, dir) -> model.save(fs, new Path(dir, MODEL_DIR), metrics, provenance, null, false));
    }

    public static MLReader<SparkformerEncoderModel> read() {
        return new StageReader<>(SparkformerEncoderModel.class, (uid, metadata, fs, dir) -> {
            Path modelDir = new Path(dir, MODEL_DIR);
            ModelFiles files = TrainedModel.readFiles(fs, modelDir);
            return new SparkformerEncoderModel(uid, TrainedModel.fromFiles(files, modelDir.toString()), files.metrics(),
                    files.provenance());
        });
    }

    public static SparkformerEncoderModel load(String path) {
        return read().load(path);
    }
}
