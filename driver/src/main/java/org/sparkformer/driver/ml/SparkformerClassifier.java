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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.kernels.host.SupportedBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Fine-tunes a Transformer sequence classifier on a DataFrame's text and label columns by parameter averaging across
 * the cluster, the Spark ML way:
 *
 * <pre>{@code
 * SparkformerClassificationModel model = new SparkformerClassifier()
 *         .setTextCol("text").setLabelCol("label").setPreset("tiny").setEpochs(2)
 *         .fit(train);
 * Dataset<Row> scored = model.transform(test); // adds probability, prediction, predictedLabel
 * }</pre>
 *
 * <p>Parameters map onto a {@link SparkformerConfig}: the defaults, then the YAML file of {@code configPath} if set,
 * then each parameter set on this stage ({@code epochs} is {@code training.epochs}, {@code learningRate}
 * {@code training.lr}, {@code batchSize}, {@code workers} and {@code averagingFrequency} their {@code training}
 * namesakes, {@code maxLength} both {@code data.maxLength} and {@code model.maxLength}, {@code vocabSize}
 * {@code data.vocabSize}, {@code preset} {@code model.preset}, {@code seed} both {@code training.seed} and
 * {@code model.seed}). A parameter not set keeps the configuration's value; the defaults shown are those of the
 * built-in configuration. With {@code pretrainedModelPath} training starts from that encoder, and with
 * {@link #setPretrained} from an encoder in memory, such as {@link SparkformerPretrainer} fits.
 *
 * <p>The label column may hold strings or numbers; see {@link SparkformerClassificationModel} for what the
 * prediction column then holds.
 */
public final class SparkformerClassifier extends Estimator<SparkformerClassificationModel>
        implements MLWritable, ScoringParams {

    private static final Logger LOG = LoggerFactory.getLogger(SparkformerClassifier.class);

    private final String uid;
    private final Param<String> textCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> predictedLabelCol;
    private final Param<String> probabilityCol;
    private final IntParam epochs;
    private final DoubleParam learningRate;
    private final IntParam batchSize;
    private final IntParam workers;
    private final IntParam averagingFrequency;
    private final IntParam maxLength;
    private final IntParam vocabSize;
    private final Param<String> preset;
    private final LongParam seed;
    private final Param<String> pretrainedModelPath;
    private final Param<String> configPath;
    private SparkformerEncoderModel pretrained;

    public SparkformerClassifier() {
        this(Identifiable.randomUID("sparkformerClassifier"));
    }

    public SparkformerClassifier(String uid) {
        this.uid = uid;
        textCol = ClassifierParams.textCol(this);
        labelCol = ClassifierParams.labelCol(this);
        predictionCol = ClassifierParams.predictionCol(this);
        predictedLabelCol = ClassifierParams.predictedLabelCol(this);
        probabilityCol = ClassifierParams.probabilityCol(this);
        epochs = ClassifierParams.epochs(this);
        learningRate = ClassifierParams.learningRate(this);
        batchSize = ClassifierParams.batchSize(this);
        workers = ClassifierParams.workers(this);
        averagingFrequency = ClassifierParams.averagingFrequency(this);
        maxLength = ClassifierParams.maxLength(this);
        vocabSize = ClassifierParams.vocabSize(this);
        preset = ClassifierParams.preset(this);
        seed = ClassifierParams.seed(this);
        pretrainedModelPath = ClassifierParams.pretrainedModelPath(this);
        configPath = ClassifierParams.configPath(this);

        setDefault(textCol, ClassifierParams.TEXT_COL);
        setDefault(labelCol, ClassifierParams.LABEL_COL);
        setDefault(predictionCol, ClassifierParams.PREDICTION_COL);
        setDefault(predictedLabelCol, ClassifierParams.PREDICTED_LABEL_COL);
        setDefault(probabilityCol, ClassifierParams.PROBABILITY_COL);
        TrainingParams.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters, the Spark ML way: the Param, its getter and a chained setter

    @Override
    public Param<String> textCol() {
        return textCol;
    }

    public Param<String> labelCol() {
        return labelCol;
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

    public IntParam epochs() {
        return epochs;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    @Override
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

    public Param<String> pretrainedModelPath() {
        return pretrainedModelPath;
    }

    public Param<String> configPath() {
        return configPath;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
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

    /** The pretrained model directory, or null when training starts from freshly initialised weights. */
    public String getPretrainedModelPath() {
        return isDefined(pretrainedModelPath) ? getOrDefault(pretrainedModelPath) : null;
    }

    /** The encoder set with {@link #setPretrained}, or null. */
    public SparkformerEncoderModel getPretrained() {
        return pretrained;
    }

    /** The YAML configuration file, or null. */
    public String getConfigPath() {
        return isDefined(configPath) ? getOrDefault(configPath) : null;
    }

    public SparkformerClassifier setTextCol(String value) {
        set(textCol, value);
        return this;
    }

    public SparkformerClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public SparkformerClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public SparkformerClassifier setPredictedLabelCol(String value) {
        set(predictedLabelCol, value);
        return this;
    }

    public SparkformerClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public SparkformerClassifier setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    public SparkformerClassifier setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    public SparkformerClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public SparkformerClassifier setWorkers(int value) {
        set(workers, value);
        return this;
    }

    public SparkformerClassifier setAveragingFrequency(int value) {
        set(averagingFrequency, value);
        return this;
    }

    public SparkformerClassifier setMaxLength(int value) {
        set(maxLength, value);
        return this;
    }

    public SparkformerClassifier setVocabSize(int value) {
        set(vocabSize, value);
        return this;
    }

    public SparkformerClassifier setPreset(String value) {
        set(preset, value);
        return this;
    }

    public SparkformerClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    public SparkformerClassifier setPretrainedModelPath(String value) {
        set(pretrainedModelPath, value);
        return this;
    }

    /**
     * Starts training from this pretrained encoder (e.g. what {@link SparkformerPretrainer} fitted): its weights,
     * vocabulary and tokenizer, as {@code pretrainedModelPath} does for a model directory; null starts afresh. The
     * encoder is saved with this stage.
     */
    public SparkformerClassifier setPretrained(SparkformerEncoderModel encoder) {
        this.pretrained = encoder;
        return this;
    }

    public SparkformerClassifier setConfigPath(String value) {
        set(configPath, value);
        return this;
    }

    // ---- the estimator

    @Override
    public StructType transformSchema(StructType schema) {
        String stage = "SparkformerClassifier " + uid;
        ClassifierSchema.requireText(schema, getTextCol(), stage);
        ClassifierSchema.requireLabel(schema, getLabelCol(), stage);
        return ClassifierSchema.withOutputs(schema, getProbabilityCol(), getPredictionCol(), getPredictedLabelCol(), stage);
    }

    @Override
    public SparkformerClassificationModel fit(Dataset<?> dataset) {
        SupportedBackend.require();
        transformSchema(dataset.schema(), true);
        SparkSession spark = dataset.sparkSession();
        LabelKind kind = ClassifierSchema.requireLabel(dataset.schema(), getLabelCol(), "SparkformerClassifier " + uid);
        SparkformerConfig config = toConfig();
        JavaRDD<LabelledText> examples = examples(dataset, kind).cache();
        try {
            List<String> labels = kind.order(distinctLabels(examples));
            if (labels.size() < 2) {
                throw new IllegalArgumentException("SparkformerClassifier " + uid + ": label column '" + getLabelCol()
                        + "' holds " + labels.size() + " distinct label(s) " + labels + "; classification needs at least 2");
            }
            FineTuner tuner = new FineTuner(spark, config).setExamples(examples, null).setLabels(new LabelSet(labels));
            PretrainedStart.apply(tuner, spark, pretrained, getPretrainedModelPath(), "SparkformerClassifier " + uid);
            LOG.info("fitting a Sparkformer classifier on column '{}' for {} labels", getTextCol(), labels.size());
            FineTuneResult result = tuner.fit();
            Provenance provenance = Provenance.now("spark-ml fit", ConfigYaml.toYaml(config), "dataframe");
            SparkformerClassificationModel model = new SparkformerClassificationModel(uid, result.model(), kind,
                    result.metrics(), provenance);
            copyValues(model, ParamMap.empty());
            return model.setParent(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pretrained model " + getPretrainedModelPath() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("fitting " + uid + " failed: " + e.getMessage(), e);
        } finally {
            examples.unpersist(false);
        }
    }

    /**
     * The configuration {@link #fit} trains with: the defaults, then {@code configPath}, then the parameters set on
     * this stage.
     */
    public SparkformerConfig toConfig() {
        return TrainingParams.config(this, getConfigPath());
    }

    /** The rows as labelled texts, numbered from 1 in DataFrame order; a null text or label names its row. */
    private JavaRDD<LabelledText> examples(Dataset<?> dataset, LabelKind kind) {
        String text = getTextCol();
        String label = getLabelCol();
        return dataset.toDF().select(col(text), col(label)).javaRDD().zipWithIndex().map(indexed -> {
            Row row = indexed._1();
            long line = indexed._2() + 1;
            String where = "row " + line + " of the training DataFrame";
            if (row.isNullAt(0)) {
                throw new IllegalArgumentException(where + ": text column '" + text + "' is null");
            }
            return new LabelledText("dataframe", line, row.getString(0), kind.nameOf(row.get(1), label, where));
        });
    }

    /** The distinct labels, gathered per partition and merged on the driver (no shuffle). */
    private static java.util.Set<String> distinctLabels(JavaRDD<LabelledText> examples) {
        return examples.aggregate(new java.util.TreeSet<>(), (set, t) -> {
            set.add(t.label());
            return set;
        }, (a, b) -> {
            a.addAll(b);
            return a;
        });
    }

    @Override
    public SparkformerClassifier copy(ParamMap extra) {
        SparkformerClassifier copy = defaultCopy(extra);
        return copy.setPretrained(pretrained);
    }

    // ---- saving and loading

    @Override
    public MLWriter write() {
        return new StageWriter(this, PretrainedStart.fields(pretrained), PretrainedStart.content(pretrained));
    }

    public static MLReader<SparkformerClassifier> read() {
        return new StageReader<>(SparkformerClassifier.class, (uid, metadata, fs, dir) ->
                new SparkformerClassifier(uid).setPretrained(PretrainedStart.read(metadata, fs, dir)));
    }

    public static SparkformerClassifier load(String path) {
        return read().load(path);
    }
}
