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
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.executor.RowTagger;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.kernels.host.SupportedBackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;

/**
 * Fine-tunes a Transformer token tagger (one tag per word, e.g. part of speech or named entities) on a DataFrame's
 * words and tags columns, both {@code array<string>}, by parameter averaging across the cluster, as
 * {@code sparkformer finetune} does with {@code data.task: token}:
 *
 * <pre>{@code
 * SparkformerTaggingModel tagger = new SparkformerTagger()
 *         .setWordsCol("words").setTagsCol("tags").setPreset("tiny").setEpochs(2)
 *         .fit(train);
 * Dataset<Row> tagged = tagger.transform(test); // adds predictedTags, tagProbabilities
 * }</pre>
 *
 * <p>Parameters map onto a {@link SparkformerConfig} as {@link SparkformerClassifier}'s do, with {@code data.task}
 * set to {@code token} (so {@code data.lowercase} left unset keeps the case, which carries part of speech). Training
 * starts from an encoder given with {@link #setPretrained}, a model directory given with {@code pretrainedModelPath},
 * or fresh weights with a vocabulary built from the training words. Each row's tags must be as many as its words.
 */
public final class SparkformerTagger extends Estimator<SparkformerTaggingModel> implements MLWritable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkformerTagger.class);

    private final String uid;
    private final Param<String> wordsCol;
    private final Param<String> tagsCol;
    private final Param<String> predictedTagsCol;
    private final Param<String> tagProbabilitiesCol;
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

    public SparkformerTagger() {
        this(Identifiable.randomUID("sparkformerTagger"));
    }

    public SparkformerTagger(String uid) {
        this.uid = uid;
        wordsCol = ClassifierParams.wordsCol(this);
        tagsCol = ClassifierParams.tagsCol(this);
        predictedTagsCol = ClassifierParams.predictedTagsCol(this);
        tagProbabilitiesCol = ClassifierParams.tagProbabilitiesCol(this);
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
        setDefault(wordsCol, ClassifierParams.WORDS_COL);
        setDefault(tagsCol, ClassifierParams.TAGS_COL);
        setDefault(predictedTagsCol, ClassifierParams.PREDICTED_TAGS_COL);
        setDefault(tagProbabilitiesCol, ClassifierParams.TAG_PROBABILITIES_COL);
        TrainingParams.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters

    public Param<String> wordsCol() {
        return wordsCol;
    }

    public Param<String> tagsCol() {
        return tagsCol;
    }

    public Param<String> predictedTagsCol() {
        return predictedTagsCol;
    }

    public Param<String> tagProbabilitiesCol() {
        return tagProbabilitiesCol;
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

    public Param<String> pretrainedModelPath() {
        return pretrainedModelPath;
    }

    public Param<String> configPath() {
        return configPath;
    }

    public String getWordsCol() {
        return getOrDefault(wordsCol);
    }

    public String getTagsCol() {
        return getOrDefault(tagsCol);
    }

    public String getPredictedTagsCol() {
        return getOrDefault(predictedTagsCol);
    }

    public String getTagProbabilitiesCol() {
        return getOrDefault(tagProbabilitiesCol);
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

    /** The pretrained model directory, or null. */
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

    public SparkformerTagger setWordsCol(String value) {
        set(wordsCol, value);
        return this;
    }

    public SparkformerTagger setTagsCol(String value) {
        set(tagsCol, value);
        return this;
    }

    public SparkformerTagger setPredictedTagsCol(String value) {
        set(predictedTagsCol, value);
        return this;
    }

    public SparkformerTagger setTagProbabilitiesCol(String value) {
        set(tagProbabilitiesCol, value);
        return this;
    }

    public SparkformerTagger setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    public SparkformerTagger setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    public SparkformerTagger setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public SparkformerTagger setWorkers(int value) {
        set(workers, value);
        return this;
    }

    public SparkformerTagger setAveragingFrequency(int value) {
        set(averagingFrequency, value);
        return this;
    }

    public SparkformerTagger setMaxLength(int value) {
        set(maxLength, value);
        return this;
    }

    public SparkformerTagger setVocabSize(int value) {
        set(vocabSize, value);
        return this;
    }

    public SparkformerTagger setPreset(String value) {
        set(preset, value);
        return this;
    }

    public SparkformerTagger setSeed(long value) {
        set(seed, value);
        return this;
    }

    public SparkformerTagger setPretrainedModelPath(String value) {
        set(pretrainedModelPath, value);
        return this;
    }

    /**
     * Starts training from this pretrained encoder (e.g. what {@link SparkformerPretrainer} fitted); null starts
     * afresh. The encoder is saved with this stage.
     */
    public SparkformerTagger setPretrained(SparkformerEncoderModel encoder) {
        this.pretrained = encoder;
        return this;
    }

    public SparkformerTagger setConfigPath(String value) {
        set(configPath, value);
        return this;
    }

    // ---- the estimator

    @Override
    public StructType transformSchema(StructType schema) {
        String stage = "SparkformerTagger " + uid;
        ClassifierSchema.requireStringArray(schema, getWordsCol(), "words", stage);
        ClassifierSchema.requireStringArray(schema, getTagsCol(), "tags", stage);
        return ClassifierSchema.withTagOutputs(schema, getPredictedTagsCol(), getTagProbabilitiesCol(), stage);
    }

    @Override
    public SparkformerTaggingModel fit(Dataset<?> dataset) {
        SupportedBackend.require();
        transformSchema(dataset.schema(), true);
        SparkSession spark = dataset.sparkSession();
        String stage = "SparkformerTagger " + uid;
        SparkformerConfig config = toConfig();
        JavaRDD<TaggedSentence> sentences = sentences(dataset).cache();
        try {
            List<String> tags = List.copyOf(sentences.aggregate(new TreeSet<String>(), (set, s) -> {
                set.addAll(s.tags());
                return set;
            }, (a, b) -> {
                a.addAll(b);
                return a;
            }));
            if (tags.size() < 2) {
                throw new IllegalArgumentException(stage + ": tags column '" + getTagsCol() + "' holds " + tags.size()
                        + " distinct tag(s) " + tags + "; tagging needs at least 2");
            }
            FineTuner tuner = new FineTuner(spark, config).setTaggedExamples(sentences, null).setLabels(new LabelSet(tags));
            PretrainedStart.apply(tuner, spark, pretrained, getPretrainedModelPath(), stage);
            LOG.info("fitting a Sparkformer tagger on column '{}' for {} tags", getWordsCol(), tags.size());
            FineTuneResult result = tuner.fit();
            Provenance provenance = Provenance.now("spark-ml fit", ConfigYaml.toYaml(config), "dataframe");
            SparkformerTaggingModel model = new SparkformerTaggingModel(uid, result.model(), result.metrics(), provenance);
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
            sentences.unpersist(false);
        }
    }

    /**
     * The configuration {@link #fit} trains with: the defaults, then {@code configPath}, then the parameters set on
     * this stage, then {@code data.task=token}.
     */
    public SparkformerConfig toConfig() {
        return TrainingParams.config(this, getConfigPath(), "data.task=token");
    }

    /**
     * The rows as tagged sentences, numbered from 1 in DataFrame order; a null array, a null word or tag, or tags not
     * as many as the words name the row and column.
     */
    private JavaRDD<TaggedSentence> sentences(Dataset<?> dataset) {
        String words = getWordsCol();
        String tags = getTagsCol();
        return dataset.toDF().select(col(words), col(tags)).javaRDD().zipWithIndex().map(indexed -> {
            Row row = indexed._1();
            long line = indexed._2() + 1;
            String where = "row " + line + " of the training DataFrame";
            List<String> w = RowTagger.words(row, 0, words, where);
            if (row.isNullAt(1)) {
                throw new IllegalArgumentException(where + ": tags column '" + tags + "' is null");
            }
            List<String> t = row.getList(1);
            if (t.contains(null)) {
                throw new IllegalArgumentException(where + ": tags column '" + tags + "' holds a null tag at position "
                        + t.indexOf(null));
            }
            if (t.size() != w.size()) {
                throw new IllegalArgumentException(where + ": tags column '" + tags + "' holds " + t.size()
                        + " tags for the " + w.size() + " words of column '" + words + "'");
            }
            return new TaggedSentence("dataframe", line, w, t);
        });
    }

    @Override
    public SparkformerTagger copy(ParamMap extra) {
        SparkformerTagger copy = defaultCopy(extra);
        return copy.setPretrained(pretrained);
    }

    // ---- saving and loading

    @Override
    public MLWriter write() {
        return new StageWriter(this, PretrainedStart.fields(pretrained), PretrainedStart.content(pretrained));
    }

    public static MLReader<SparkformerTagger> read() {
        return new StageReader<>(SparkformerTagger.class, (uid, metadata, fs, dir) ->
                new SparkformerTagger(uid).setPretrained(PretrainedStart.read(metadata, fs, dir)));
    }

    public static SparkformerTagger load(String path) {
        return read().load(path);
    }
}
