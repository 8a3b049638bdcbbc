package org.sparkformer.driver.api;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.data.report.SequenceStatistics;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.source.TrainingSplit;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.config.RunSettings;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.driver.evaluation.ClassificationMetrics;
import org.sparkformer.driver.evaluation.Evaluator;
import org.sparkformer.driver.evaluation.baseline.BaselineReport;
import org.sparkformer.driver.evaluation.baseline.TaskBaselines;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.inputs.EncodedSplit;
import org.sparkformer.driver.inputs.SplitReader;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.KernelSettings;
import org.sparkformer.driver.training.RunInputs;
import org.sparkformer.driver.training.ShardedTraining;
import org.sparkformer.driver.training.TrainingOutcome;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.host.SupportedBackend;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
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
    private String pretrainedSource;
    private CheckpointSettings checkpoints;
    private LabelSet labels;
    private ReadResult<LabelledText> trainRecords;
    private ReadResult<LabelledText> validationRecords;
    private ReadResult<TaggedSentence> trainSentences;
    private ReadResult<TaggedSentence> validationSentences;

    public FineTuner(SparkSession spark, SparkformerConfig config) {
        this.spark = spark;
        this.config = config;
    }

    /** Starts from this pretrained encoder (its vocabulary, tokenizer and architecture are kept). */
    public FineTuner setPretrained(TrainedModel model) {
        return setPretrained(model, null);
    }

    /**
     * As {@link #setPretrained(TrainedModel)}, naming the model directory it was read from: checkpoints record the
     * path and the model's digest, and a resume from another model (moved or changed) is refused.
     */
    public FineTuner setPretrained(TrainedModel model, String source) {
        this.pretrained = model;
        this.pretrainedSource = source;
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
        this.trainSentences = null;
        this.validationSentences = null;
        return this;
    }

    /**
     * Trains a token tagger on these sentences instead of reading {@code data.trainPath}, e.g. rows of a DataFrame;
     * {@code validation} may be null. The configuration's {@code data.task} should be {@code token}, so that the
     * tokenizer's settings (e.g. {@code data.lowercase} left unset) follow the tagging task.
     */
    public FineTuner setTaggedExamples(JavaRDD<TaggedSentence> train, JavaRDD<TaggedSentence> validation) {
        this.trainSentences = SplitReader.inMemory(train);
        this.validationSentences = validation == null ? null : SplitReader.inMemory(validation);
        this.trainRecords = null;
        this.validationRecords = null;
        return this;
    }

    public FineTuner setCheckpoints(CheckpointSettings settings) {
        this.checkpoints = settings;
        return this;
    }

    public FineTuneResult fit() throws Exception {
        SupportedBackend.require();
        SplitReader inputs = new SplitReader(spark, config.data());
        Examples examples = trainRecords != null ? new GivenExamples(inputs)
                : trainSentences != null ? new GivenSentences(inputs) : new ConfiguredExamples(inputs);
        Task task = examples.task();
        LabelSet labelSet = labels != null ? labels : examples.inferLabels();
        if (labelSet.size() < 2) {
            throw new IllegalArgumentException(examples.name() + " holds " + labelSet.size() + " distinct label(s) "
                    + labelSet.labels() + "; classification needs at least 2");
        }
        for (String label : labelSet.labels()) {
            String problem = ModelDirectory.labelProblem(label);
            if (problem != null) {
                throw new IllegalArgumentException(examples.name() + ": label " + problem
                        + "; a model's labels cannot hold it (see docs/model-directory.md)");
            }
        }
        Start start = pretrained != null ? fromPretrained(task, labelSet) : fromScratch(examples, inputs, task, labelSet);
        DataSection data = config.data();
        if (data.maxLength() > start.model().maxLength()) {
            throw new IllegalArgumentException("data.maxLength " + data.maxLength() + " exceeds the model's maxLength "
                    + start.model().maxLength());
        }
        Trained trained = train(examples, start, task, labelSet);
        Map<String, Double> metrics = metrics(trained.outcome());
        trained.unknownLabels().forEach((split, n) -> metrics.put(split + ".unknownLabels", (double) n));
        if (examples.validated()) {
            addBaselines(metrics, examples.baselines(), trained.outcome());
        }
        TrainedModel model = new TrainedModel(start.model(), start.tokenizerSettings(), start.vocabulary(),
                labelSet.labels(), trained.outcome().keptParams());
        return new FineTuneResult(model, trained.outcome(), trained.report(), metrics, trained.validation());
    }

    /** Where fine-tuning starts: the encoder's vocabulary, tokenizer, architecture and parameters. */
    private record Start(Vocabulary vocabulary, TokenizerSettings tokenizerSettings, TransformerConfig model,
                         float[] initial) {
    }

    /** The pretrained encoder with a head for {@code task}; dropout, poolings and seed from this configuration. */
    private Start fromPretrained(Task task, LabelSet labelSet) {
        Vocabulary vocabulary = pretrained.vocabulary();
        TokenizerSettings tokenizerSettings = new TokenizerSettings(pretrained.tokenizerSettings().lowercase(),
                pretrained.tokenizerSettings().stripAccents(), config.data().maxLength());
        TransformerConfig model = pretrained.config().withTask(task, labelSet.size())
                .withDropout(config.model().dropout(), config.model().attentionDropout())
                .withPooling(config.model().pooling())
                .withWordPooling(config.model().wordPooling())
                .withSeed(config.model().seed());
        float[] initial = TransformerModel.fromPretrained(pretrained.build(), model).parametersAsFloats();
        LOG.info("fine-tuning the pretrained encoder ({} layers, dModel {}) for {} labels", model.layers(), model.dModel(),
                labelSet.size());
        return new Start(vocabulary, tokenizerSettings, model, initial);
    }

    /** A freshly initialised encoder with a vocabulary of the training texts (and the corpus, when one is set). */
    private Start fromScratch(Examples examples, SplitReader inputs, Task task, LabelSet labelSet) {
        DataSection data = config.data();
        Vocabulary vocabulary;
        List<ReadResult<?>> opened = new ArrayList<>();
        try {
            JavaRDD<String> texts = examples.texts(opened);
            if (data.corpusPath() != null) {
                ReadResult<Document> corpus = inputs.corpus();
                opened.add(corpus);
                texts = texts.union(corpus.records().flatMap(d -> d.sentences().iterator()));
            }
            vocabulary = Pretrainer.vocabulary(spark, data, texts);
        } finally {
            opened.forEach(ReadResult::unpersist);
        }
        TokenizerSettings tokenizerSettings = new TokenizerSettings(data.lowercaseText(), data.stripAccents(), data.maxLength());
        TransformerConfig model = KernelSettings.model(config.model(), vocabulary.size(), task, labelSet.size());
        float[] initial = new TransformerModel(model).parametersAsFloats();
        LOG.info("fine-tuning a freshly initialised encoder for {} labels", labelSet.size());
        return new Start(vocabulary, tokenizerSettings, model, initial);
    }

    /**
     * How training ended, what the training split held, per held-out split the examples left out for a label the
     * training split does not have, and the kept parameters' figures on the validation split (null without one).
     */
    private record Trained(TrainingOutcome outcome, DataReport report, Map<String, Long> unknownLabels,
                           ClassificationMetrics validation) {
    }

    /**
     * The figures of each validation measurement, keeping those of the best one (the parameters fine-tuning keeps):
     * the validation returns the accuracy alone, and after it the training loop tells listeners whether it was the best.
     */
    private static final class ValidationFigures implements TrainingListener {
        private ClassificationMetrics last;
        private ClassificationMetrics best;

        ClassificationMetrics measured(ClassificationMetrics m) {
            last = m;
            return m;
        }

        @Override
        public void onEvaluate(TrainingState s) {
            if (s.bestRound() == s.round()) {
                best = last;
            }
        }
    }

    /**
     * Encodes the splits, trains (validating about once per epoch when there is a validation split) and releases
     * what was cached, also when training fails or is cancelled: a notebook's next fit() must not find this run's data
     * cached.
     */
    private Trained train(Examples examples, Start start, Task task, LabelSet labelSet) throws Exception {
        TrainingSection training = config.training();
        BertTokenizer tokenizer = start.tokenizerSettings().tokenizer(start.vocabulary());
        EncodedSplit train = examples.train(tokenizer, labelSet, training.seed());
        JavaRDD<EncodedSequence> trainSequences = train.sequences().records().cache();
        JavaRDD<EncodedSequence> validation = null;
        EncodedSplit validationSplit = null;
        Map<String, Long> unknownLabels = new LinkedHashMap<>();
        try {
            Objective objective = task == Task.TOKEN_CLASSIFICATION ? Objective.TOKEN_CLASSIFICATION
                    : Objective.SEQUENCE_CLASSIFICATION;
            BatchConfig batches = BatchConfig.of(training.batchSize(), objective).withBucketing()
                    .withWordDropout(training.wordDropout());
            ShardedTraining run = new ShardedTraining(training, start.model(), batches, start.vocabulary(),
                    new FreezeSpec(training.freezeEmbeddings(), training.freezeLayers())).settings(RunSettings.of(config))
                    .inputs(runInputs());
            if (checkpoints != null) {
                run.checkpoints(checkpoints);
            }
            validationSplit = examples.validated() ? examples.validation(tokenizer, labelSet) : null;
            if (validationSplit != null) {
                validation = validationSplit.sequences().records().cache();
                unknownLabels.put("validation", checked("validation", examples.validationName(), validationSplit));
            }
            EncodedSplit test = examples.test(tokenizer, labelSet);
            if (test != null) {
                try {
                    unknownLabels.put("test", checked("test", config.data().testPath(), test));
                } finally {
                    test.unpersist();
                }
            }
            ValidationFigures figures = null;
            JavaRDD<EncodedSequence> v = validation;
            TransformerConfig m = start.model();
            List<String> names = labelSet.labels();
            if (validationSplit != null) {
                ValidationFigures f = new ValidationFigures();
                run.validation(params -> f.measured(Evaluator.classification(v, m, params, names, training.batchSize()))
                        .accuracy(), MetricGoal.MAXIMIZE);
                run.listener(f);
                figures = f;
            }
            TrainingOutcome outcome = run.fit(trainSequences, start.initial());
            ClassificationMetrics kept = null;
            if (figures != null && outcome.bestMetric() != null) {
                // the best measurement predates a resume: measure the kept parameters again (the same figures)
                kept = figures.best != null ? figures.best
                        : Evaluator.classification(v, m, outcome.keptParams(), names, training.batchSize());
            }
            DataReport report = DataReport.of(train.read().records().count(),
                    SequenceStatistics.of(trainSequences, start.vocabulary().unkId()), train.skippedByReason(), labelSet,
                    run.paddingFraction());
            return new Trained(outcome, report, unknownLabels, kept);
        } finally {
            trainSequences.unpersist();
            train.unpersist();
            if (validation != null) {
                validation.unpersist();
            }
            if (validationSplit != null) {
                validationSplit.unpersist();
            }
        }
    }

    /**
     * What this run reads, for its checkpoints: the pretrained model, and the configured data paths it reads (the
     * splits unless the examples were given in memory; the corpus and vocabulary file when training from scratch).
     */
    private Map<String, String> runInputs() throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        DataSection data = config.data();
        RunInputs inputs = new RunInputs().pretrained(pretrainedSource, pretrained);
        if (trainRecords == null && trainSentences == null) {
            inputs.data(conf, "data.trainPath", data.trainPath()).data(conf, "data.validationPath", data.validationPath());
        }
        if (pretrained == null) {
            inputs.data(conf, "data.corpusPath", data.corpusPath()).data(conf, "data.vocabPath", data.vocabPath());
        }
        return inputs.toMap();
    }

    /** The figures stored with the model: training loss, rounds and steps, and the best validation accuracy. */
    private static Map<String, Double> metrics(TrainingOutcome outcome) {
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
        return metrics;
    }

    /** The task's baselines on the validation split, beside the model's accuracy. */
    private static void addBaselines(Map<String, Double> metrics, BaselineReport baselines, TrainingOutcome outcome) {
        baselines.scores().forEach(b -> metrics.put("validation.baseline." + b.key() + ".accuracy", b.accuracy()));
        if (outcome.bestMetric() != null) {
            LOG.info("validation {}", baselines.beside("accuracy", outcome.bestMetric()));
        }
    }

    /** The training (and validation) examples: given to {@link #setExamples}, or the configured splits. */
    private interface Examples {

        /** The training split as messages name it. */
        String name();

        /** The classification task the examples imply. */
        Task task();

        LabelSet inferLabels();

        /** The training texts, for a from-scratch vocabulary; what was read for them goes to {@code opened}. */
        JavaRDD<String> texts(List<ReadResult<?>> opened);

        EncodedSplit train(BertTokenizer tokenizer, LabelSet labelSet, long jobSeed);

        /** True when there is a validation split. */
        boolean validated();

        /**
         * The validation split, encoded with the training split's labels; a label it alone has is counted, not fatal
         * ({@link SplitReader#heldOut}).
         */
        EncodedSplit validation(BertTokenizer tokenizer, LabelSet labelSet);

        /** The validation split as messages name it. */
        String validationName();

        /** The test split encoded as the validation split is, to be checked before training; null when there is none. */
        EncodedSplit test(BertTokenizer tokenizer, LabelSet labelSet);

        /** The task's baselines, fitted on the training split and scored on the validation split. */
        BaselineReport baselines();
    }

    /** Sequence-classification examples given in memory, e.g. rows of a DataFrame. */
    private final class GivenExamples implements Examples {
        private final SplitReader inputs;

        GivenExamples(SplitReader inputs) {
            this.inputs = inputs;
        }

        @Override
        public String name() {
            return "the given examples";
        }

        @Override
        public Task task() {
            return Task.SEQUENCE_CLASSIFICATION;
        }

        @Override
        public LabelSet inferLabels() {
            return new TrainingSplit(trainRecords).inferLabels();
        }

        @Override
        public JavaRDD<String> texts(List<ReadResult<?>> opened) {
            return trainRecords.records().map(LabelledText::text);
        }

        @Override
        public EncodedSplit train(BertTokenizer tokenizer, LabelSet labelSet, long jobSeed) {
            return inputs.training(trainRecords, tokenizer, labelSet, jobSeed);
        }

        @Override
        public boolean validated() {
            return validationRecords != null;
        }

        @Override
        public EncodedSplit validation(BertTokenizer tokenizer, LabelSet labelSet) {
            return inputs.heldOut(validationRecords, tokenizer, labelSet);
        }

        @Override
        public String validationName() {
            return "the given validation examples";
        }

        @Override
        public EncodedSplit test(BertTokenizer tokenizer, LabelSet labelSet) {
            return null;
        }

        @Override
        public BaselineReport baselines() {
            return TaskBaselines.sequence(trainRecords.records(), validationRecords.records(), name(),
                    "the given validation examples");
        }
    }

    /** Token-tagged sentences given in memory, e.g. rows of a DataFrame. */
    private final class GivenSentences implements Examples {
        private final SplitReader inputs;

        GivenSentences(SplitReader inputs) {
            this.inputs = inputs;
        }

        @Override
        public String name() {
            return "the given sentences";
        }

        @Override
        public Task task() {
            return Task.TOKEN_CLASSIFICATION;
        }

        @Override
        public LabelSet inferLabels() {
            return LabelSet.infer(trainSentences.records().flatMap(s -> s.tags().iterator()));
        }

        @Override
        public JavaRDD<String> texts(List<ReadResult<?>> opened) {
            return trainSentences.records().map(s -> String.join(" ", s.words()));
        }

        @Override
        public EncodedSplit train(BertTokenizer tokenizer, LabelSet labelSet, long jobSeed) {
            return inputs.tagged(trainSentences, tokenizer, labelSet, false);
        }

        @Override
        public boolean validated() {
            return validationSentences != null;
        }

        @Override
        public EncodedSplit validation(BertTokenizer tokenizer, LabelSet labelSet) {
            return inputs.tagged(validationSentences, tokenizer, labelSet, true);
        }

        @Override
        public String validationName() {
            return "the given validation sentences";
        }

        @Override
        public EncodedSplit test(BertTokenizer tokenizer, LabelSet labelSet) {
            return null;
        }

        @Override
        public BaselineReport baselines() {
            return TaskBaselines.token(trainSentences.records(), validationSentences.records(), name(),
                    validationName());
        }
    }

    /** The splits at {@code data.trainPath} and, when set, {@code data.validationPath}. */
    private final class ConfiguredExamples implements Examples {
        private final SplitReader inputs;
        private final String trainPath;

        ConfiguredExamples(SplitReader inputs) {
            this.inputs = inputs;
            this.trainPath = required(config.data().trainPath(), "data.trainPath");
        }

        @Override
        public String name() {
            return trainPath;
        }

        @Override
        public Task task() {
            return inputs.task();
        }

        @Override
        public LabelSet inferLabels() {
            return inputs.inferLabels(trainPath);
        }

        @Override
        public JavaRDD<String> texts(List<ReadResult<?>> opened) {
            if (inputs.isTagging()) {
                ReadResult<TaggedSentence> read = inputs.tagged(trainPath);
                opened.add(read);
                return read.records().map(s -> String.join(" ", s.words()));
            }
            ReadResult<LabelledText> read = inputs.labelledText(trainPath);
            opened.add(read);
            return read.records().map(LabelledText::text);
        }

        @Override
        public EncodedSplit train(BertTokenizer tokenizer, LabelSet labelSet, long jobSeed) {
            return inputs.training(trainPath, tokenizer, labelSet, jobSeed);
        }

        @Override
        public boolean validated() {
            return config.data().validationPath() != null;
        }

        @Override
        public EncodedSplit validation(BertTokenizer tokenizer, LabelSet labelSet) {
            return inputs.heldOut(config.data().validationPath(), tokenizer, labelSet);
        }

        @Override
        public String validationName() {
            return config.data().validationPath();
        }

        @Override
        public EncodedSplit test(BertTokenizer tokenizer, LabelSet labelSet) {
            String testPath = config.data().testPath();
            return testPath == null ? null : inputs.heldOut(testPath, tokenizer, labelSet);
        }

        @Override
        public BaselineReport baselines() {
            return TaskBaselines.fromFiles(inputs, trainPath, config.data().validationPath());
        }
    }

    /**
     * Reads a held-out split through (before the first round, so a bad record in it fails the job now rather than
     * at the first validation) and reports the examples whose label the training split does not have; returns their
     * number.
     */
    private static long checked(String split, String paths, EncodedSplit encoded) {
        long examples = encoded.sequences().records().count();
        long unknown = encoded.sequences().skippedByReason().get(BadRecordReason.UNKNOWN_LABEL);
        if (unknown > 0) {
            List<String> where = encoded.sequences().skippedExamples(3).stream().map(b -> b.file() + ":" + b.line() + ": "
                    + b.detail()).toList();
            LOG.warn("{} split {}: {} example(s) carry a label the training split does not have; they cannot be predicted"
                    + " correctly and are left out of its measurements ({} kept), e.g. {}", split,
                    paths == null ? "(given)" : paths, unknown, examples, where);
        } else {
            LOG.info("{} split {}: {} examples, every label known", split, paths == null ? "(given)" : paths, examples);
        }
        return unknown;
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set: give it in the configuration or with --set " + key + "=...");
        }
        return value;
    }
}
