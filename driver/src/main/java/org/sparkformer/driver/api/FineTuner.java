package org.sparkformer.driver.api;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.data.report.SequenceStatistics;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.source.TrainingSplit;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.driver.evaluation.Evaluator;
import org.sparkformer.driver.evaluation.baseline.BaselineReport;
import org.sparkformer.driver.evaluation.baseline.TaskBaselines;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.inputs.EncodedSplit;
import org.sparkformer.driver.inputs.SplitReader;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.KernelSettings;
import org.sparkformer.driver.training.ShardedTraining;
import org.sparkformer.driver.training.TrainingOutcome;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuning for sequence or token classification on {@code data.trainPath}, from a pretrained
 * encoder or from scratch. With {@code data.validationPath} it measures validation accuracy about once
 * per epoch, keeps the best parameters and stops early after {@code training.earlyStoppingPatience}
 * measurements without improvement, and scores the task's baselines (fitted on the training split) on the same
 * validation split: {@code validation.baseline.<name>.accuracy} in the metrics, beside {@code validation.accuracy}.
 *
 * <pre>{@code
 * FineTuneResult r = new FineTuner(spark, config).setPretrained(TrainedModel.load(fs, pretrainedDir)).fit();
 * }</pre>
 */
public final class FineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    private final SparkSession spark;
    private final SparkformerConfig config;
    private TrainedModel pretrained;
    private CheckpointSettings checkpoints;
    private LabelSet labels;
    private ReadResult<LabelledText> trainRecords;
    private ReadResult<LabelledText> validationRecords;

    public FineTuner(SparkSession spark, SparkformerConfig config) {
        this.spark = spark;
        this.config = config;
    }

    /** Starts from this pretrained encoder (its vocabulary, tokenizer and architecture are kept). */
    public FineTuner setPretrained(TrainedModel model) {
        this.pretrained = model;
        return this;
    }

    /** Uses these labels instead of inferring them from the training split. */
    public FineTuner setLabels(LabelSet given) {
        this.labels = given;
        return this;
    }

    /**
     * Trains on these examples instead of reading {@code data.trainPath} (sequence classification), e.g.
     * rows of a DataFrame; {@code validation} may be null.
     */
    public FineTuner setExamples(JavaRDD<LabelledText> train, JavaRDD<LabelledText> validation) {
        this.trainRecords = SplitReader.inMemory(train);
        this.validationRecords = validation == null ? null : SplitReader.inMemory(validation);
        return this;
    }

    public FineTuner setCheckpoints(CheckpointSettings settings) {
        this.checkpoints = settings;
        return this;
    }

    public FineTuneResult fit() throws Exception {
        DataSection data = config.data();
        TrainingSection training = config.training();
        SplitReader inputs = new SplitReader(spark, data);
        String trainPath = trainRecords != null ? "the given examples" : required(data.trainPath(), "data.trainPath");
        Task task = trainRecords != null ? Task.SEQUENCE_CLASSIFICATION : inputs.task();
        LabelSet labelSet = labels != null ? labels
                : trainRecords != null ? new TrainingSplit(trainRecords).inferLabels() : inputs.inferLabels(trainPath);
        if (labelSet.size() < 2) {
            throw new IllegalArgumentException(trainPath + " holds " + labelSet.size() + " distinct label(s) " + labelSet.labels()
                    + "; classification needs at least 2");
        }

        Vocabulary vocabulary;
        TokenizerSettings tokenizerSettings;
        TransformerConfig model;
        float[] initial;
        if (pretrained != null) {
            vocabulary = pretrained.vocabulary();
            tokenizerSettings = new TokenizerSettings(pretrained.tokenizerSettings().lowercase(),
                    pretrained.tokenizerSettings().stripAccents(), data.maxLength());
            model = pretrained.config().withTask(task, labelSet.size())
                    .withDropout(config.model().dropout(), config.model().attentionDropout())
                    .withPooling(KernelSettings.model(config.model(), vocabulary.size(), task, labelSet.size()).pooling())
                    .withSeed(config.model().seed());
            initial = TransformerModel.fromPretrained(pretrained.build(), model).parametersAsFloats();
            LOG.info("fine-tuning the pretrained encoder ({} layers, dModel {}) for {} labels", model.layers(), model.dModel(),
                    labelSet.size());
        } else {
            List<ReadResult<?>> opened = new ArrayList<>();
            try {
                JavaRDD<String> texts = trainRecords != null ? trainRecords.records().map(LabelledText::text)
                        : vocabularyTexts(inputs, trainPath, opened);
                if (data.corpusPath() != null) {
                    ReadResult<Document> corpus = inputs.corpus();
                    opened.add(corpus);
                    texts = texts.union(corpus.records().flatMap(d -> d.sentences().iterator()));
                }
                vocabulary = Pretrainer.vocabulary(spark, data, texts);
            } finally {
                opened.forEach(ReadResult::unpersist);
            }
            tokenizerSettings = new TokenizerSettings(data.lowercase(), data.stripAccents(), data.maxLength());
            model = KernelSettings.model(config.model(), vocabulary.size(), task, labelSet.size());
            initial = new TransformerModel(model).parametersAsFloats();
            LOG.info("fine-tuning a freshly initialised encoder for {} labels", labelSet.size());
        }
        if (data.maxLength() > model.maxLength()) {
            throw new IllegalArgumentException("data.maxLength " + data.maxLength() + " exceeds the model's maxLength "
                    + model.maxLength());
        }

        var tokenizer = tokenizerSettings.tokenizer(vocabulary);
        EncodedSplit train = trainRecords != null ? inputs.training(trainRecords, tokenizer, labelSet, training.seed())
                : inputs.training(trainPath, tokenizer, labelSet, training.seed());
        JavaRDD<EncodedSequence> trainSequences = train.sequences().records().cache();
        JavaRDD<EncodedSequence> validation = null;
        EncodedSplit validationSplit = null;
        TrainingOutcome outcome;
        DataReport report;
        try {
            Objective objective = task == Task.TOKEN_CLASSIFICATION ? Objective.TOKEN_CLASSIFICATION : Objective.SEQUENCE_CLASSIFICATION;
            BatchConfig batches = BatchConfig.of(training.batchSize(), objective).withBucketing(50);
            ShardedTraining run = new ShardedTraining(training, model, batches, vocabulary,
                    new FreezeSpec(training.freezeEmbeddings(), training.freezeLayers()));
            if (checkpoints != null) {
                run.checkpoints(checkpoints);
            }
            validationSplit = validationRecords != null ? inputs.encoded(validationRecords, tokenizer, labelSet)
                    : trainRecords == null && data.validationPath() != null ? inputs.encoded(data.validationPath(), tokenizer, labelSet)
                    : null;
            if (validationSplit != null) {
                validation = validationSplit.sequences().records().cache();
                JavaRDD<EncodedSequence> v = validation;
                TransformerConfig m = model;
                List<String> names = labelSet.labels();
                run.validation(params -> Evaluator.classification(v, m, params, names, training.batchSize()).accuracy(),
                        MetricGoal.MAXIMIZE);
            }
            outcome = run.fit(trainSequences, initial);
            report = DataReport.of(train.read().records().count(), SequenceStatistics.of(trainSequences, vocabulary.unkId()),
                    train.skippedByReason(), labelSet, run.paddingFraction());
        } finally {
            // also when training fails or is cancelled: a notebook's next fit() must not find this run's data cached
            trainSequences.unpersist();
            train.unpersist();
            if (validation != null) {
                validation.unpersist();
            }
            if (validationSplit != null) {
                validationSplit.unpersist();
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (Double.isFinite(outcome.finalLoss())) {
            metrics.put("train.loss", outcome.finalLoss());
        }
        metrics.put("train.rounds", (double) outcome.rounds());
        metrics.put("train.steps", (double) outcome.steps());
        if (outcome.bestMetric() != null) {
            metrics.put("validation.accuracy", outcome.bestMetric());
            metrics.put("validation.bestRound", (double) outcome.bestRound());
        }
        if (validationSplit != null) {
            BaselineReport baselines = validationRecords != null
                    ? TaskBaselines.sequence(trainRecords.records(), validationRecords.records(), trainPath, "the given validation examples")
                    : TaskBaselines.fromFiles(inputs, trainPath, data.validationPath());
            baselines.scores().forEach(b -> metrics.put("validation.baseline." + b.key() + ".accuracy", b.accuracy()));
            if (outcome.bestMetric() != null) {
                LOG.info("validation {}", baselines.beside("accuracy", outcome.bestMetric()));
            }
        }
        TrainedModel trained = new TrainedModel(model, tokenizerSettings, vocabulary, labelSet.labels(), outcome.keptParams());
        return new FineTuneResult(trained, outcome, report, metrics);
    }

    /** Texts of the training split, for a from-scratch vocabulary; the read goes to {@code opened}. */
    private static JavaRDD<String> vocabularyTexts(SplitReader inputs, String trainPath, List<ReadResult<?>> opened) {
        if (inputs.isTagging()) {
            ReadResult<TaggedSentence> read = inputs.tagged(trainPath);
            opened.add(read);
            return read.records().map(s -> String.join(" ", s.words()));
        }
        ReadResult<LabelledText> read = inputs.labelledText(trainPath);
        opened.add(read);
        return read.records().map(LabelledText::text);
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set: give it in the configuration or with --set " + key + "=...");
        }
        return value;
    }
}
