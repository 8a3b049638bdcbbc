package org.sparkformer.driver.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.source.Document;
import org.sparkformer.driver.api.PretrainResult;
import org.sparkformer.driver.api.Pretrainer;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.kernels.host.SupportedBackend;

import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Pretrains a Transformer encoder by masked-language modelling on a DataFrame's text column, by parameter
 * averaging across the cluster as {@code sparkformer pretrain} does, the Spark ML way:
 *
 * <pre>{@code
 * SparkformerEncoderModel encoder = new SparkformerPretrainer().setTextCol("text").setPreset("tiny").fit(corpus);
 * Dataset<Row> features = encoder.transform(df);                      // adds embedding, a Vector
 * SparkformerClassificationModel tuned = new SparkformerClassifier().setPretrained(encoder).fit(labelled);
 * }</pre>
 *
 * <p>Each row is one document; a blank text contributes nothing, a null text is an error naming its row. A WordPiece
 * vocabulary of {@code vocabSize} is built from the texts. Parameters map onto a {@link SparkformerConfig} as the
 * classifier's do ({@code maskProbability} is {@code data.maskProbability}); a parameter not set keeps the
 * configuration's value, and the defaults shown are those of the built-in configuration.
 */
public final class SparkformerPretrainer extends Estimator<SparkformerEncoderModel> implements MLWritable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkformerPretrainer.class);

    private final String uid;
    private final Param<String> textCol;
    private final Param<String> embeddingCol;
    private final IntParam epochs;
    private final DoubleParam learningRate;
    private final IntParam batchSize;
    private final IntParam workers;
    private final IntParam averagingFrequency;
    private final IntParam maxLength;
    private final IntParam vocabSize;
    private final Param<String> preset;
    private final LongParam seed;
    private final DoubleParam maskProbability;
    private final Param<String> configPath;

    public SparkformerPretrainer() {
        this(Identifiable.randomUID("sparkformerPretrainer"));
    }

    public SparkformerPretrainer(String uid) {
        this.uid = uid;
        textCol = ClassifierParams.textCol(this, "to pretrain on, one document per row");
        embeddingCol = ClassifierParams.embeddingCol(this);
        epochs = ClassifierParams.epochs(this);
        learningRate = ClassifierParams.learningRate(this);
        batchSize = ClassifierParams.batchSize(this);
        workers = ClassifierParams.workers(this);
        averagingFrequency = ClassifierParams.averagingFrequency(this);
        maxLength = ClassifierParams.maxLength(this);
        vocabSize = ClassifierParams.vocabSize(this);
        preset = ClassifierParams.preset(this);
        seed = ClassifierParams.seed(this);
        maskProbability = ClassifierParams.maskProbability(this);
        configPath = ClassifierParams.configPath(this);
        setDefault(textCol, ClassifierParams.TEXT_COL);
        setDefault(embeddingCol, ClassifierParams.EMBEDDING_COL);
        TrainingParams.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters

    public Param<String> textCol() {
        return textCol;
    }

    public Param<String> embeddingCol() {
        return embeddingCol;
    }

    public IntParam epochs() {
        return epochs;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam workers() {
        return workers;
    }

    public IntParam averagingFrequency() {
        return averagingFrequency;
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public IntParam vocabSize() {
        return vocabSize;
    }

    public Param<String> preset() {
        return preset;
    }

    public LongParam seed() {
        return seed;
    }

    public DoubleParam maskProbability() {
        return maskProbability;
    }

    public Param<String> configPath() {
        return configPath;
    }

    public String getTextCol() {
        return getOrDefault(textCol);
    }

    public String getEmbeddingCol() {
        return getOrDefault(embeddingCol);
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public int getWorkers() {
        return (Integer) getOrDefault(workers);
    }

    public int getAveragingFrequency() {
        return (Integer) getOrDefault(averagingFrequency);
    }

    public int getMaxLength() {
        return (Integer) getOrDefault(maxLength);
    }

    public int getVocabSize() {
        return (Integer) getOrDefault(vocabSize);
    }

    public String getPreset() {
        return getOrDefault(preset);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public double getMaskProbability() {
        return (Double) getOrDefault(maskProbability);
    }

    /** The YAML configuration file, or null. */
    public String getConfigPath() {
        return isDefined(configPath) ? getOrDefault(configPath) : null;
    }

    public SparkformerPretrainer setTextCol(String value) {
        set(textCol, value);
        return this;
    }

    public SparkformerPretrainer setEmbeddingCol(String value) {
        set(embeddingCol, value);
        return this;
    }

    public SparkformerPretrainer setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    public SparkformerPretrainer setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    public SparkformerPretrainer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public SparkformerPretrainer setWorkers(int value) {
        set(workers, value);
        return this;
    }

    public SparkformerPretrainer setAveragingFrequency(int value) {
        set(averagingFrequency, value);
        return this;
    }

    public SparkformerPretrainer setMaxLength(int value) {
        set(maxLength, value);
        return this;
    }

    public SparkformerPretrainer setVocabSize(int value) {
        set(vocabSize, value);
        return this;
    }

    public SparkformerPretrainer setPreset(String value) {
        set(preset, value);
        return this;
    }

    public SparkformerPretrainer setSeed(long value) {
        set(seed, value);
        return this;
    }

    public SparkformerPretrainer setMaskProbability(double value) {
        set(maskProbability, value);
        return this;
    }

    public SparkformerPretrainer setConfigPath(String value) {
        set(configPath, value);
        return this;
    }

    // ---- the estimator

    @Override
    public StructType transformSchema(StructType schema) {
        return SparkformerEncoderModel.withEmbedding(schema, getTextCol(), getEmbeddingCol(), "SparkformerPretrainer " + uid);
    }

    @Override
    public SparkformerEncoderModel fit(Dataset<?> dataset) {
        SupportedBackend.require();
        transformSchema(dataset.schema(), true);
        SparkformerConfig config = toConfig();
        JavaRDD<Document> documents = documents(dataset);
        try {
            LOG.info("pretraining a Sparkformer encoder on column '{}'", getTextCol());
            PretrainResult result = new Pretrainer(dataset.sparkSession(), config).setDocuments(documents).fit();
            Provenance provenance = Provenance.now("spark-ml fit", ConfigYaml.toYaml(config), "dataframe");
            SparkformerEncoderModel model = new SparkformerEncoderModel(uid, result.model(), result.metrics(), provenance);
            copyValues(model, ParamMap.empty());
            return model.setParent(this);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("fitting " + uid + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The configuration {@link #fit} trains with: the defaults, then {@code configPath}, then the parameters set on
     * this stage.
     */
    public SparkformerConfig toConfig() {
        return TrainingParams.config(this, getConfigPath());
    }

    /** The rows as documents of one text each, numbered from 1 in DataFrame order; a null text names its row. */
    private JavaRDD<Document> documents(Dataset<?> dataset) {
        String text = getTextCol();
        return dataset.toDF().select(col(text)).javaRDD().zipWithIndex().map(indexed -> {
            Row row = indexed._1();
            long line = indexed._2() + 1;
            if (row.isNullAt(0)) {
                throw new IllegalArgumentException("row " + line + " of the training DataFrame: text column '" + text
                        + "' is null");
            }
            String value = row.getString(0);
            return new Document("dataframe", line, value.isBlank() ? List.of() : List.of(value));
        });
    }

    @Override
    public SparkformerPretrainer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    // ---- saving and loading

    @Override
    public MLWriter write() {
        return new StageWriter(this, Map.of(), null);
    }

    public static MLReader<SparkformerPretrainer> read() {
        return new StageReader<>(SparkformerPretrainer.class, (uid, metadata, fs, dir) -> new SparkformerPretrainer(uid));
    }

    public static SparkformerPretrainer load(String path) {
        return read().load(path);
    }
}
