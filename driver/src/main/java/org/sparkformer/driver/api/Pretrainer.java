package org.sparkformer.driver.api;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MaskingPolicy;
import org.sparkformer.data.batch.SequenceBuilder;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.data.report.SequenceStatistics;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.tokenize.BasicTokenizer;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.data.tokenize.VocabularyTrainer;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.config.RunSettings;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.inputs.SplitReader;
import org.sparkformer.driver.listeners.TaskProgress;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Masked-LM pretraining: corpus ({@code data.corpusPath}, or documents given in memory) -> vocabulary (trained on the executors' word counts, or an existing
 * vocab.txt) -> packed sequences -> rounds of parameter averaging -> a pretrained encoder.
 *
 * <pre>{@code
 * PretrainResult r = new Pretrainer(spark, config).fit();
 * r.model().save(fs, new Path("hdfs:///models/wordnet-mlm"), r.metrics(), provenance, null, false);
 * }</pre>
 */
public final class Pretrainer {

    private static final Logger LOG = LoggerFactory.getLogger(Pretrainer.class);

    private final SparkSession spark;
    private final SparkformerConfig config;
    private CheckpointSettings checkpoints;
    private JavaRDD<Document> givenDocuments;

    public Pretrainer(SparkSession spark, SparkformerConfig config) {
        this.spark = spark;
        this.config = config;
    }

    /** Writes checkpoints to (and optionally resumes from) {@code settings}. */
    public Pretrainer setCheckpoints(CheckpointSettings settings) {
        this.checkpoints = settings;
        return this;
    }

    /**
     * Pretrains on these documents instead of reading {@code data.corpusPath}, e.g. the rows of a DataFrame, one
     * document each.
     */
    public Pretrainer setDocuments(JavaRDD<Document> documents) {
        this.givenDocuments = documents;
        return this;
    }

    public PretrainResult fit() throws Exception {
        SupportedBackend.require();
        DataSection data = config.data();
        SplitReader inputs = new SplitReader(spark, data);
        ReadResult<Document> corpus = givenDocuments != null ? SplitReader.inMemory(givenDocuments) : inputs.corpus();
        JavaRDD<Document> documents = corpus.records().cache();
        JavaRDD<EncodedSequence> sequences = null;
        TransformerConfig model;
        Vocabulary vocabulary;
        TokenizerSettings tokenizerSettings;
        TrainingOutcome outcome;
        DataReport report;
        try {
            vocabulary = vocabulary(spark, data, documents.flatMap(d -> d.sentences().iterator()));
            tokenizerSettings = new TokenizerSettings(data.lowercaseText(), data.stripAccents(), data.maxLength());
            BertTokenizer tokenizer = tokenizerSettings.tokenizer(vocabulary);
            sequences = SequenceBuilder.pretraining(documents, tokenizer, data.maxLength()).cache();

            model = KernelSettings.model(config.model(), vocabulary.size(), Task.MASKED_LM, 0)
                    .withDiscriminatorWeight(config.pretraining().effectiveDiscriminatorWeight());
            MaskingPolicy masking = MaskingPolicy.bert(data.maskProbability());
            BatchConfig batches = BatchConfig.maskedLm(config.training().batchSize(), masking).withBucketing();
            ShardedTraining training = new ShardedTraining(config.training(), model, batches, vocabulary, FreezeSpec.NONE)
                    .settings(RunSettings.of(config))
                    .inputs(new RunInputs().data(spark.sparkContext().hadoopConfiguration(), "data.corpusPath",
                                    givenDocuments != null ? null : data.corpusPath())
                            .data(spark.sparkContext().hadoopConfiguration(), "data.vocabPath", data.vocabPath()).toMap());
            if (checkpoints != null) {
                training.checkpoints(checkpoints);
            }
            outcome = training.fit(sequences, new TransformerModel(model).parametersAsFloats());
            report = DataReport.of(documents.count(), SequenceStatistics.of(sequences, vocabulary.unkId()),
                    corpus.skippedByReason(), null, training.paddingFraction());
        } finally {
            // also when training fails or is cancelled: a notebook's next fit() must not find this run's data cached
            if (sequences != null) {
                sequences.unpersist();
            }
            documents.unpersist();
            corpus.unpersist();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (Double.isFinite(outcome.finalLoss())) {
            metrics.put("train.loss", outcome.finalLoss());
            metrics.put("train.perplexity", Math.exp(outcome.finalLoss()));
        }
        metrics.put("train.rounds", (double) outcome.rounds());
        metrics.put("train.steps", (double) outcome.steps());
        TrainedModel trained = new TrainedModel(model, tokenizerSettings, vocabulary, List.of(), outcome.params());
        LOG.info("pretraining finished after {} rounds: loss {}", outcome.rounds(), outcome.finalLoss());
        return new PretrainResult(trained, outcome, report, metrics);
    }

    /** The vocabulary the data section asks for: loaded from data.vocabPath, or trained on {@code texts}. */
    static Vocabulary vocabulary(SparkSession spark, DataSection data, JavaRDD<String> texts) {
        if (data.vocabPath() != null) {
            return Vocabulary.load(data.vocabPath(), spark.sparkContext().hadoopConfiguration());
        }
        Vocabulary v;
        try (TaskProgress progress = TaskProgress.open(spark.sparkContext(), "vocabulary")) {
            v = VocabularyTrainer.of(new BasicTokenizer(data.lowercaseText(), data.stripAccents()), data.vocabSize())
                    .train(texts);
        }
        LOG.info("trained a WordPiece vocabulary of {} tokens", v.size());
        return v;
    }
}
