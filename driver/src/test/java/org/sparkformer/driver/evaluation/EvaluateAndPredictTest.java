package org.sparkformer.driver.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.batch.MaskingPolicy;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.source.BadRecordException;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.compression.CompressedModel;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.executor.BroadcastInferenceModel;
import org.sparkformer.driver.executor.ExecutorModelCache;
import org.sparkformer.driver.executor.Scores;
import org.sparkformer.driver.jobs.CompressJob;
import org.sparkformer.driver.jobs.EvaluateJob;
import org.sparkformer.driver.jobs.Job;
import org.sparkformer.driver.jobs.JobRequest;
import org.sparkformer.driver.jobs.JobRunner;
import org.sparkformer.driver.jobs.PredictJob;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.compress.WeightFormat;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.train.LocalTrainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluate and predict jobs on tiny models trained here for a few steps: metrics against a local computation,
 * predictions against evaluation, output layouts, bad records, taggers and masked-LM perplexity.
 */
class EvaluateAndPredictTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(List.of("the", "movie", "film", "was", "is",
            "good", "great", "nice", "fine", "bad", "awful", "poor", "sad", "very", "plot"));
    private static final TokenizerSettings TOKENIZER = new TokenizerSettings(true, true, 16);
    private static final List<String> REVIEWS = List.of(
            "pos\tthe movie was good", "neg\tthe movie was bad", "pos\tthe film is great", "neg\tthe film is awful",
            "pos\tvery nice plot", "neg\tvery poor plot", "pos\tthe plot was fine", "neg\tthe plot was sad",
            "pos\tgood film", "neg\tbad film", "pos\tthe movie is very nice", "neg\tthe movie is very poor",
            "neg\tgood movie was sad");
    private static final List<String> TAGGED = List.of(
            "the\tDET", "movie\tNOUN", "was\tVERB", "good\tADJ", "",
            "the\tDET", "plot\tNOUN", "is\tVERB", "very\tADV", "bad\tADJ", "",
            "film\tNOUN", "was\tVERB", "nice\tADJ", "",
            "the\tDET", "film\tNOUN", "is\tVERB", "awful\tADJ", "");

    @TempDir
    static Path dir;
    private static Path classifier;
    private static Path tagger;
    private static Path reviews;
    private static Path conll;

    @BeforeAll
    static void trainTinyModels() throws Exception {
        TestClusters.spark();
        reviews = write("reviews.tsv", REVIEWS);
        conll = write("tagged.conll", TAGGED);

        LabelSet sentiment = new LabelSet(List.of("neg", "pos"));
        LabelledEncoder encoder = new LabelledEncoder(TOKENIZER.tokenizer(VOCAB), sentiment, TOKENIZER.maxLength(),
                BadRecordPolicy.FAIL);
        List<EncodedSequence> texts = new ArrayList<>();
        for (int i = 0; i < REVIEWS.size(); i++) {
            String[] f = REVIEWS.get(i).split("\t");
            texts.add(encoder.sequence(new LabelledText("train", i + 1, f[1], f[0])).value());
        }
        classifier = trainAndSave("classifier", Task.SEQUENCE_CLASSIFICATION, sentiment, texts, Objective.SEQUENCE_CLASSIFICATION);

        LabelSet tags = new LabelSet(List.of("ADJ", "ADV", "DET", "NOUN", "VERB"));
        LabelledEncoder tagEncoder = new LabelledEncoder(TOKENIZER.tokenizer(VOCAB), tags, TOKENIZER.maxLength(),
                BadRecordPolicy.FAIL);
        List<EncodedSequence> sentences = new ArrayList<>();
        for (TaggedSentence s : sentencesOf(TAGGED)) {
            sentences.add(tagEncoder.tagged(s).value());
        }
        tagger = trainAndSave("tagger", Task.TOKEN_CLASSIFICATION, tags, sentences, Objective.TOKEN_CLASSIFICATION);
    }

    @Test
    void evaluateMetricsEqualALocalComputation() throws Exception {
        Path out = dir.resolve("evaluate-local");
        JsonNode metrics = runEvaluate(classifier, out, "data.testPath=" + reviews);

        TrainedModel model = TrainedModel.load(localFs(), new org.apache.hadoop.fs.Path(classifier.toString()));
        TransformerModel local = model.build();
        LabelledEncoder encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()), 16, BadRecordPolicy.FAIL);
        long[][] confusion = new long[2][2];
        double lossSum = 0;
        for (String line : REVIEWS) {
            String[] f = line.split("\t");
            EncodedSequence s = encoder.sequence(new LabelledText("t", 1, f[1], f[0])).value();
            float[] logits = local.logits(new MiniBatch(1, s.length(), s.tokenIds(), ones(s.length()), new int[]{s.label()}))
                    .toFloatVector();
            confusion[s.label()][Scores.argmax(logits)]++;
            lossSum += Scores.crossEntropy(logits, s.label());
        }

        assertEquals(REVIEWS.size(), metrics.get("examples").asLong());
        for (int g = 0; g < 2; g++) {
            for (int p = 0; p < 2; p++) {
                assertEquals(confusion[g][p], metrics.get("confusionMatrix").get(model.labels().get(g)).get(model.labels().get(p)).asLong(),
                        "confusion " + g + "," + p);
            }
        }
        assertEquals((confusion[0][0] + confusion[1][1]) / (double) REVIEWS.size(), metrics.get("accuracy").asDouble(), 1e-12);
        assertEquals(lossSum / REVIEWS.size(), metrics.get("loss").asDouble(), 1e-4);
        assertTrue(metrics.get("accuracy").asDouble() > 0.7, "a trained classifier beats chance: " + metrics);
        assertTrue(Files.exists(out.resolve(MetricsJson.FILE_NAME)));
        assertEquals("sequence_classification", metrics.get("task").asText());
        assertEquals("data.trainPath is not set: baselines are fitted on the training split",
                metrics.get("baselines").get("omitted").asText());
    }

    @Test
    void predictWritesOneRowPerInputWithTheSameAccuracyAsEvaluate() throws Exception {
        JsonNode metrics = runEvaluate(classifier, dir.resolve("evaluate-for-predict"), "data.testPath=" + reviews);
        Path out = dir.resolve("predict-jsonl");
        run(new PredictJob(), "predict", classifier, out, reviews.toString(), Map.of("output-format", "jsonl", "labelled", "true",
                "batch-size", "5"));

        Dataset<Row> rows = TestClusters.spark().read().json(out.resolve(PredictJob.PREDICTIONS).toString());
        assertEquals(REVIEWS.size(), rows.count());
        long correct = rows.filter("label = prediction").count();
        assertEquals(metrics.get("accuracy").asDouble(), correct / (double) REVIEWS.size(), 1e-12);
        Row first = rows.orderBy("source").first();
        assertTrue(first.<String>getAs("source").endsWith("reviews.tsv:1"), first.toString());
        Row probabilities = first.getAs("probabilities");
        assertEquals(1.0, probabilities.<Double>getAs("neg") + probabilities.<Double>getAs("pos"), 1e-9);
        JsonNode report = JSON.readTree(out.resolve(PredictJob.REPORT).toFile());
        assertEquals(REVIEWS.size(), report.get("predictions").asLong());
        assertEquals(0, report.get("skippedRecords").asLong());
    }

    @Test
    void compressedModelsEvaluateAndPredictThroughTheSameCommands() throws Exception {
        TrainedModel dense = TrainedModel.load(localFs(), new org.apache.hadoop.fs.Path(classifier.toString()));
        JsonNode denseMetrics = runEvaluate(classifier, dir.resolve("evaluate-dense"), "data.testPath=" + reviews);
        for (WeightFormat format : List.of(WeightFormat.INT8, WeightFormat.F16, WeightFormat.BF16)) {
            Path compressed = dir.resolve("classifier-" + format.id());
            CompressedModel.stored(dense, format).save(localFs(), new org.apache.hadoop.fs.Path(compressed.toString()),
                    Map.of(), Provenance.now("compress", "{}", "none"), false);

            JsonNode metrics = runEvaluate(compressed, dir.resolve("evaluate-" + format.id()), "data.testPath=" + reviews);
            Path predictions = dir.resolve("predict-" + format.id());
            run(new PredictJob(), "predict", compressed, predictions, reviews.toString(), Map.of("output-format", "jsonl",
                    "labelled", "true"));

            assertEquals(denseMetrics.get("examples").asLong(), metrics.get("examples").asLong());
            assertEquals(denseMetrics.get("loss").asDouble(), metrics.get("loss").asDouble(), 0.02, format.id());
            assertEquals(denseMetrics.get("accuracy").asDouble(), metrics.get("accuracy").asDouble(), 1.5 / REVIEWS.size(),
                    format.id());
            Dataset<Row> rows = TestClusters.spark().read().json(predictions.resolve(PredictJob.PREDICTIONS).toString());
            assertEquals(metrics.get("accuracy").asDouble(), rows.filter("label = prediction").count() / (double) REVIEWS.size(),
                    1e-12, format.id() + " predictions agree with its evaluation");
        }
    }

    @Test
    void compressReportsWhatEvaluateComputesForBothModels() throws Exception {
        Path out = dir.resolve("compress");
        run(new CompressJob(), "compress", classifier, out, reviews.toString(), Map.of("prune", "heads:0.5,ffn:0.25",
                "sparsity", "0.5", "quantize", "int8", "print", "false"), "data.trainPath=" + reviews);
        JsonNode report = JSON.readTree(out.resolve(CompressJob.REPORT_JSON).toFile());
        JsonNode dense = runEvaluate(classifier, dir.resolve("evaluate-before-compress"), "data.testPath=" + reviews);
        JsonNode compressed = runEvaluate(out.resolve("model"), dir.resolve("evaluate-compressed"), "data.testPath=" + reviews);

        for (String metric : List.of("accuracy", "macroF1", "loss")) {
            assertEquals(dense.get(metric).asDouble(), report.get("before").get(metric).asDouble(), 0.0, metric);
            assertEquals(compressed.get(metric).asDouble(), report.get("after").get(metric).asDouble(), 0.0, metric);
        }
        JsonNode block = report.get("blocks").get(0);
        assertEquals(2, block.get("heads").asInt());
        assertEquals(1, block.get("keptHeads").size());
        assertEquals(16, block.get("removedNeurons").asInt(), "a quarter of 64");
        assertEquals("encoder", report.get("recipe").get("sparsityTensors").asText(), "training.pruning.tensors");
        double zeros = 0;
        double encoderWeights = 0;
        for (JsonNode m : report.get("matrices")) {
            long n = 1;
            for (JsonNode d : m.get("shape")) {
                n *= d.asLong();
            }
            // the encoder choice prunes the blocks' attention and feed-forward matrices; their convolutions stay dense
            if (m.get("name").asText().startsWith("blocks.") && !m.get("name").asText().contains(".conv.")) {
                zeros += n * m.get("sparsity").asDouble();
                encoderWeights += n;
            } else {
                assertTrue(m.get("sparsity").asDouble() < 0.05, m.get("name").asText() + " is not pruned, its only zeros"
                        + " are weights int8 rounds to zero: " + m.get("sparsity"));
            }
        }
        assertTrue(zeros / encoderWeights >= 0.5 - 1e-3 && zeros / encoderWeights < 0.55,
                "half the encoder's weight matrices are zero, and a few more rounded to zero: " + zeros / encoderWeights);
        assertTrue(report.get("after").get("parameters").asLong() < report.get("before").get("parameters").asLong());
        assertTrue(report.get("change").get("fileSizeRatio").asDouble() > 3, report.get("change").toString());
        assertTrue(report.get("before").get("tokensPerSecond").asDouble() > 0);
        assertTrue(Files.readString(out.resolve(CompressJob.REPORT_HTML)).contains("<svg"));
        assertTrue(Files.readString(out.resolve(CompressJob.REPORT_TEXT)).contains("validation accuracy"));
        TrainedModel loaded = TrainedModel.load(localFs(), new org.apache.hadoop.fs.Path(out.resolve("model").toString()));
        assertEquals(List.of(1, 1), loaded.config().headsPerLayer());
    }

    @Test
    void predictOnUnlabelledTextWritesParquetByDefaultAndCsvWithAColumnPerClass() throws Exception {
        Path text = write("unlabelled.txt", REVIEWS.stream().map(l -> l.split("\t")[1]).toList());
        Path parquet = dir.resolve("predict-parquet");
        run(new PredictJob(), "predict", classifier, parquet, text.toString(), Map.of(), "data.format=text");
        Path csv = dir.resolve("predict-csv");
        run(new PredictJob(), "predict", classifier, csv, text.toString(), Map.of("output-format", "csv"), "data.format=text");

        SparkSession spark = TestClusters.spark();
        Dataset<Row> fromParquet = spark.read().parquet(parquet.resolve(PredictJob.PREDICTIONS).toString());
        Dataset<Row> fromCsv = spark.read().option("header", "true").csv(csv.resolve(PredictJob.PREDICTIONS).toString());
        assertEquals(REVIEWS.size(), fromParquet.count());
        assertEquals(List.of("source", "text", "prediction", "probabilities"), Arrays.asList(fromParquet.columns()));
        assertEquals(List.of("source", "text", "prediction", "p_neg", "p_pos"), Arrays.asList(fromCsv.columns()));
        assertEquals(fromParquet.select("source", "prediction").orderBy("source").collectAsList(),
                fromCsv.select("source", "prediction").orderBy("source").collectAsList());
    }

    @Test
    void badRecordsAreCountedUnderSkipAndNamedUnderFail() throws Exception {
        List<String> withBad = new ArrayList<>(REVIEWS.subList(0, 4));
        withBad.add(2, "pos");
        Path input = write("with-bad.tsv", withBad);
        Path out = dir.resolve("predict-skip");
        run(new PredictJob(), "predict", classifier, out, input.toString(), Map.of("labelled", "true"), "data.onBadRecord=skip");

        assertEquals(4, TestClusters.spark().read().parquet(out.resolve(PredictJob.PREDICTIONS).toString()).count());
        JsonNode report = JSON.readTree(out.resolve(PredictJob.REPORT).toFile());
        assertEquals(1, report.get("skippedRecords").asLong());
        assertEquals(1, report.get("skippedByReason").get("missing_column").asLong());

        Exception e = assertThrows(Exception.class, () -> run(new PredictJob(), "predict", classifier, dir.resolve("predict-fail"),
                input.toString(), Map.of("labelled", "true")));
        BadRecordException bad = BadRecordException.findIn(e);
        assertTrue(bad != null && bad.getMessage().contains("with-bad.tsv:3"), String.valueOf(e));
    }

    @Test
    void evaluateSkipsLabelsTheModelDoesNotKnowUnderSkip() throws Exception {
        List<String> lines = new ArrayList<>(REVIEWS);
        lines.add("neutral\tthe movie was");
        Path input = write("unknown-label.tsv", lines);
        JsonNode metrics = runEvaluate(classifier, dir.resolve("evaluate-unknown"), "data.onBadRecord=skip",
                "data.testPath=" + input);

        assertEquals(REVIEWS.size(), metrics.get("examples").asLong());
        assertEquals(1, metrics.get("skippedByReason").get("unknown_label").asLong());
    }

    @Test
    void taggerPredictionsMapToWordsAndMatchWordLevelEvaluation() throws Exception {
        JsonNode metrics = runEvaluate(tagger, dir.resolve("evaluate-tagger"), "data.format=conll", "data.task=token",
                "data.testPath=" + conll, "data.trainPath=" + conll);
        Path out = dir.resolve("predict-tagger");
        run(new PredictJob(), "predict", tagger, out, conll.toString(), Map.of("output-format", "jsonl", "labelled", "true"),
                "data.format=conll", "data.task=token");

        long words = TAGGED.stream().filter(l -> !l.isEmpty()).count();
        assertEquals(words, metrics.get("examples").asLong());
        assertEquals(4, metrics.get("sequences").asLong());
        List<Row> rows = TestClusters.spark().read().json(out.resolve(PredictJob.PREDICTIONS).toString()).collectAsList();
        assertEquals(4, rows.size());
        long correct = 0;
        for (Row row : rows) {
            List<String> sentenceWords = row.getList(row.fieldIndex("words"));
            List<String> gold = row.getList(row.fieldIndex("tags"));
            List<String> predicted = row.getList(row.fieldIndex("prediction"));
            List<Row> probabilities = row.getList(row.fieldIndex("probabilities"));
            assertEquals(sentenceWords.size(), predicted.size());
            assertEquals(sentenceWords.size(), probabilities.size());
            for (int w = 0; w < gold.size(); w++) {
                correct += gold.get(w).equals(predicted.get(w)) ? 1 : 0;
            }
        }
        assertEquals(metrics.get("accuracy").asDouble(), correct / (double) words, 1e-12);
        assertTrue(metrics.get("accuracy").asDouble() > 0.5, "a trained tagger beats chance: " + metrics);
        JsonNode baselines = metrics.get("baselines");
        assertEquals(words, baselines.get("examples").asLong(), "baselines score the same words: " + baselines);
        assertTrue(baselines.get("mostFrequentTag").get("accuracy").asDouble() > 0.5, baselines.toString());
        assertTrue(baselines.get("majority").get("accuracy").asDouble() > 0, baselines.toString());
    }

    @Test
    void maskedLmPerplexityIsTheExponentOfItsDeterministicLoss() throws Exception {
        TransformerConfig config = TransformerConfig.tiny(VOCAB.size()).withTask(Task.MASKED_LM, 0);
        TrainedModel lm = new TrainedModel(config, TOKENIZER, VOCAB, List.of(), new TransformerModel(config).parametersAsFloats());
        Path lmDir = dir.resolve("lm");
        lm.save(localFs(), new org.apache.hadoop.fs.Path(lmDir.toString()), Map.of(), Provenance.now("pretrain", "{}", "none"),
                null, false);
        Path corpus = write("corpus.txt", REVIEWS.stream().map(l -> l.split("\t")[1]).toList());

        JsonNode metrics = runEvaluate(lmDir, dir.resolve("evaluate-lm"), "data.corpusPath=" + corpus);
        JsonNode again = runEvaluate(lmDir, dir.resolve("evaluate-lm-again"), "data.corpusPath=" + corpus);

        assertEquals(Math.exp(metrics.get("loss").asDouble()), metrics.get("perplexity").asDouble(), 1e-9);
        long masked = metrics.get("maskedTokens").asLong();
        assertTrue(masked > 0 && masked < metrics.get("tokens").asLong(), metrics.toString());
        assertEquals(metrics.get("loss").asDouble(), again.get("loss").asDouble(), 0.0);
        assertEquals(metrics.get("maskedTokens").asLong(), again.get("maskedTokens").asLong());
        // an untrained model guesses near-uniformly over the vocabulary
        assertEquals(Math.log(VOCAB.size()), metrics.get("loss").asDouble(), 0.5);
    }

    @Test
    void evaluatorScoresEveryPartitionWithOneResidentModelPerTaskThread() throws Exception {
        TrainedModel model = TrainedModel.load(localFs(), new org.apache.hadoop.fs.Path(classifier.toString()));
        LabelledEncoder encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()), 16, BadRecordPolicy.FAIL);
        List<EncodedSequence> sequences = new ArrayList<>();
        for (int i = 0; i < REVIEWS.size(); i++) {
            String[] f = REVIEWS.get(i).split("\t");
            sequences.add(encoder.sequence(new LabelledText("t", i + 1, f[1], f[0])).value());
        }
        // the sequences travel in the closure (Java serialization); Kryo, which parallelize uses, cannot carry records
        JavaRDD<EncodedSequence> data = TestClusters.jsc().parallelize(java.util.stream.IntStream.range(0, sequences.size())
                .boxed().toList(), 6).map(sequences::get);

        ClassificationMetrics small = Evaluator.classification(data, model, 2);
        ClassificationMetrics whole = Evaluator.classification(data, model.config(), model.params(), model.labels(), 64);

        assertEquals(REVIEWS.size(), small.examples());
        assertEquals(whole.toJson().get("confusionMatrix"), small.toJson().get("confusionMatrix"));
        assertEquals(whole.loss(), small.loss(), 1e-5);
        String key = BroadcastInferenceModel.broadcast(TestClusters.jsc(), model.config(), new float[0]).cacheKey();
        int idle = ExecutorModelCache.idleCount(key);
        assertTrue(idle >= 1 && idle <= 2, "models built for 2 task threads, not per partition: " + idle);
        assertNotEquals(0.0, small.macroF1());
    }

    // ---- fixtures

    private static Path trainAndSave(String name, Task task, LabelSet labels, List<EncodedSequence> data, Objective objective)
            throws Exception {
        TransformerConfig config = TransformerConfig.tiny(VOCAB.size()).withTask(task, labels.size()).withDropout(0, 0);
        TransformerModel model = new TransformerModel(config);
        LocalTrainer trainer = new LocalTrainer(model, OptimizerConfig.defaults().withLearningRate(5e-3)
                .withSchedule(0, 1000, Decay.CONSTANT));
        Iterator<MiniBatch> batches = new MiniBatchIterator(data, BatchConfig.of(4, objective), VOCAB, 7L, 0,
                new BatchPosition(0, 0), Integer.MAX_VALUE);
        trainer.train(batches, 30, 11L);
        TrainedModel trained = new TrainedModel(config, TOKENIZER, VOCAB, labels.labels(), model.parametersAsFloats());
        Path target = dir.resolve(name);
        trained.save(localFs(), new org.apache.hadoop.fs.Path(target.toString()), Map.of(),
                Provenance.now("finetune", "{}", "none"), null, false);
        return target;
    }

    private static List<TaggedSentence> sentencesOf(List<String> lines) {
        List<TaggedSentence> sentences = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String line : lines) {
            if (line.isEmpty()) {
                sentences.add(new TaggedSentence("train", sentences.size() + 1, words, tags));
                words.clear();
                tags.clear();
            } else {
                words.add(line.split("\t")[0]);
                tags.add(line.split("\t")[1]);
            }
        }
        return sentences;
    }

    private static JsonNode runEvaluate(Path model, Path out, String... sets) throws Exception {
        run(new EvaluateJob(), "evaluate", model, out, null, Map.of(), sets);
        return JSON.readTree(out.resolve(MetricsJson.FILE_NAME).toFile());
    }

    private static void run(Job job, String command, Path model, Path out, String input, Map<String, String> options,
                            String... sets) throws Exception {
        ConfigLoader.Loaded loaded = new ConfigLoader().set(List.of(sets)).build();
        JobRequest request = new JobRequest(command, loaded.config(), ConfigYaml.toYaml(loaded.config()), loaded.origins(),
                out.toString(), false, false, null, model.toString(), input, options);
        new JobRunner(TestClusters.localConf()).run(request, job);
    }

    private static Path write(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    private static FileSystem localFs() throws Exception {
        return FileSystem.getLocal(TestClusters.localConf());
    }
}
