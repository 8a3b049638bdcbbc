package org.sparkformer.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.evaluation.MetricsJson;
import org.sparkformer.driver.jobs.EvaluateJob;
import org.sparkformer.driver.jobs.FinetuneJob;
import org.sparkformer.driver.jobs.Job;
import org.sparkformer.driver.jobs.JobOutputs;
import org.sparkformer.driver.jobs.JobRequest;
import org.sparkformer.driver.jobs.JobRunner;
import org.sparkformer.driver.jobs.PretrainJob;
import org.sparkformer.driver.listeners.HistoryRecorder;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.modeldir.ModelDirectory;

import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sparkformer.driver.report.ReportChecks.assertEmbedsTheChartsBesideIt;
import static org.sparkformer.driver.report.ReportChecks.assertLoadsNothingFromOutside;
import static org.sparkformer.driver.report.ReportChecks.assertOpensInHeadlessChromium;
import static org.sparkformer.driver.report.ReportChecks.browserTestsAsked;
import static org.sparkformer.driver.report.ReportChecks.figure;
import static org.sparkformer.driver.report.ReportChecks.selfContainedReport;

/**
 * The history and report files of the pretrain, finetune and evaluate jobs on tiny data, read back: history.csv has
 * one line per round (of a resumed job too) ending at the loss stored with the model, and report.html is
 * self-contained, embeds the charts written beside it and shows the figures of metrics.json. With
 * {@code -Dsparkformer.browserTests=true} and Debian's chromium installed, the reports are also opened in headless
 * chromium: no error, no network request, and a screenshot with the charts on it. The checks are {@link ReportChecks},
 * which TuneJobTest applies to the report of a grid search.
 */
class JobReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] GOOD = {"good", "great", "nice", "fine"};
    private static final String[] BAD = {"bad", "awful", "poor", "sad"};

    @TempDir
    static Path dir;
    private static Path train;
    private static Path validation;
    private static Path corpus;
    private static Path pretrained;
    private static Path finetuned;
    private static Path evaluated;

    @BeforeAll
    static void runTheJobs() throws Exception {
        TestClusters.spark();
        train = reviews("train.tsv", 48, 0);
        validation = reviews("dev.tsv", 16, 1);
        List<String> corpus = new ArrayList<>();
        for (String line : Files.readAllLines(train)) {
            corpus.add(line.split("\t")[1]);
        }
        JobReportsTest.corpus = Files.write(dir.resolve("corpus.txt"), corpus);

        pretrained = dir.resolve("pretrained");
        run(new PretrainJob(), pretrained, null, "data.corpusPath=" + JobReportsTest.corpus, "training.epochs=1");
        finetuned = dir.resolve("finetuned");
        run(new FinetuneJob(), finetuned, pretrained.resolve(JobOutputs.MODEL), "data.trainPath=" + train,
                "data.validationPath=" + validation, "training.epochs=3");
        evaluated = dir.resolve("evaluated");
        run(new EvaluateJob(), evaluated, finetuned.resolve(JobOutputs.MODEL), "data.trainPath=" + train,
                "data.testPath=" + validation);
    }

    @Test
    void pretrainHistoryHasOneLinePerRoundAndEndsAtTheStoredTrainingLoss() throws Exception {
        JsonNode metrics = modelMetrics(pretrained);
        List<Map<String, String>> history = history(pretrained);

        assertEquals(metrics.get("train.rounds").asInt(), history.size(), "one line per round");
        for (int i = 0; i < history.size(); i++) {
            assertEquals(Integer.toString(i + 1), history.get(i).get("round"));
            assertTrue(Double.parseDouble(history.get(i).get("learning_rate")) > 0, history.get(i).toString());
            assertTrue(Double.parseDouble(history.get(i).get("tokens_per_second")) > 0, history.get(i).toString());
            assertEquals("", history.get(i).get("validation_metric"), "pretraining does not validate");
        }
        Map<String, String> last = history.get(history.size() - 1);
        assertEquals(metrics.get("train.loss").asDouble(), Double.parseDouble(last.get("loss")));
        assertEquals(metrics.get("train.steps").asLong(), Long.parseLong(last.get("step")));
        assertEquals(1.0, Double.parseDouble(last.get("epoch")), 1e-9, "the one epoch, completed");

        String html = selfContainedReport(pretrained);
        assertEquals(metrics.get("train.loss").asDouble(), figure(html, "train.loss"));
        assertEmbedsTheChartsBesideIt(html, pretrained, JobReport.LOSS_PNG, JobReport.LEARNING_RATE_PNG,
                JobReport.THROUGHPUT_PNG);
        assertFalse(Files.exists(pretrained.resolve(JobReport.CONFUSION_PNG)), "no classifier, no confusion matrix");
        assertTrue(GraphicsEnvironment.isHeadless(), "charts are drawn headless");
    }

    @Test
    void finetuneHistoryAndReportShowTheValidationCurveAndTheKeptModelsAccuracy() throws Exception {
        JsonNode metrics = modelMetrics(finetuned);
        List<Map<String, String>> history = history(finetuned);

        assertEquals(metrics.get("train.rounds").asInt(), history.size(), "one line per round");
        assertEquals(metrics.get("train.loss").asDouble(), Double.parseDouble(history.get(history.size() - 1).get("loss")));
        List<Double> validated = history.stream().map(r -> r.get("validation_metric")).filter(v -> !v.isEmpty())
                .map(Double::parseDouble).toList();
        assertTrue(validated.size() >= 3, "validated about once per epoch over 3 epochs: " + validated);
        double best = validated.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(metrics.get("validation.accuracy").asDouble(), best, "the model keeps the best validation");

        String html = selfContainedReport(finetuned);
        assertEquals(metrics.get("validation.accuracy").asDouble(), figure(html, "validation.accuracy"));
        assertEquals(metrics.get("train.loss").asDouble(), figure(html, "train.loss"));
        assertEmbedsTheChartsBesideIt(html, finetuned, JobReport.LOSS_PNG, JobReport.LEARNING_RATE_PNG,
                JobReport.THROUGHPUT_PNG, JobReport.VALIDATION_PNG, JobReport.CONFUSION_PNG);
        assertTrue(html.contains("<table class=\"per-class\">"), "per-class table");
        assertEquals(3, html.split("<tr><th>[123]</th><td>\\d+&ndash;\\d+</td>", -1).length - 1,
                "a line per epoch: " + html.replaceAll("base64,[^\"]+", ""));
        for (String label : List.of("neg", "pos")) {
            assertTrue(html.contains("data-metric=\"perClass." + label + ".f1\""), label);
        }
    }

    @Test
    void evaluateReportShowsTheFiguresOfMetricsJsonWithTheConfusionMatrix() throws Exception {
        JsonNode metrics = JSON.readTree(evaluated.resolve(MetricsJson.FILE_NAME).toFile());

        String html = selfContainedReport(evaluated);
        assertEquals(metrics.get("accuracy").asDouble(), figure(html, "accuracy"));
        assertEquals(metrics.get("macroF1").asDouble(), figure(html, "macroF1"));
        assertEquals(metrics.get("baselines").get("majority").get("accuracy").asDouble(),
                figure(html, "baselines.majority.accuracy"));
        for (String label : List.of("neg", "pos")) {
            JsonNode c = metrics.get("perClass").get(label);
            for (String f : List.of("precision", "recall", "f1", "support")) {
                assertEquals(c.get(f).asDouble(), figure(html, "perClass." + label + "." + f), label + " " + f);
            }
            for (String p : List.of("neg", "pos")) {
                assertTrue(metrics.get("confusionMatrix").get(label).has(p));
            }
        }
        assertEmbedsTheChartsBesideIt(html, evaluated, JobReport.CONFUSION_PNG);
        assertFalse(Files.exists(evaluated.resolve(JobOutputs.HISTORY)), "evaluation trains no rounds");
    }

    @Test
    void noReportLoadsAScriptStyleSheetFontOrImageFromOutsideItself() throws Exception {
        for (Path job : List.of(pretrained, finetuned, evaluated)) {
            assertLoadsNothingFromOutside(job);
        }
    }

    @Test
    void theReportsOpenInHeadlessChromiumWithoutErrorsOrNetworkAndShowTheirCharts() throws Exception {
        assumeTrue(browserTestsAsked(),
                "renders the reports in chromium only with -Dsparkformer.browserTests=true");
        HeadlessChromium chromium = HeadlessChromium.find();
        assumeTrue(chromium != null, "chromium is not installed (Debian: apt-get install chromium)");

        // the checks themselves catch a page that fetches from the network and throws
        Path bad = Files.writeString(dir.resolve("bad.html"), "<!DOCTYPE html><html><body><p>bad</p>"
                + "<img src=\"https://example.com/chart.png\"><script>notDefined()</script></body></html>");
        HeadlessChromium.Page control = chromium.open(bad, 800, 600, dir.resolve("chromium-bad"));
        assertEquals(List.of("https://example.com/chart.png"), control.externalRequests(), control.log());
        assertTrue(control.console().stream().anyMatch(l -> l.contains("notDefined")), control.log());

        for (Path job : List.of(pretrained, finetuned, evaluated)) {
            assertOpensInHeadlessChromium(job, dir.resolve("chromium-" + job.getFileName()), 2000);
        }
    }

    @Test
    void aResumedJobsHistoryHoldsTheRoundsBeforeTheResume() throws Exception {
        Path out = dir.resolve("pretrained-then-resumed");
        run(new PretrainJob(), out, null, "data.corpusPath=" + corpus, "training.epochs=1", "training.checkpointEvery=1");
        List<String> before = Files.readAllLines(out.resolve(JobOutputs.HISTORY));

        runResumed(new PretrainJob(), out, "data.corpusPath=" + corpus, "training.epochs=2", "training.checkpointEvery=1");

        List<String> after = Files.readAllLines(out.resolve(JobOutputs.HISTORY));
        JsonNode metrics = modelMetrics(out);
        assertEquals(metrics.get("train.rounds").asInt() + 1, after.size(), "a line per round of both runs: " + after);
        assertTrue(after.size() > before.size(), "the resumed run trained on: " + after);
        assertEquals(before, after.subList(0, before.size()), "the rounds before the resume, as they were");
        List<Map<String, String>> rows = history(out);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Integer.toString(i + 1), rows.get(i).get("round"));
            if (i > 0) {
                assertTrue(Double.parseDouble(rows.get(i).get("elapsed_seconds"))
                        >= Double.parseDouble(rows.get(i - 1).get("elapsed_seconds")), "time counts on: " + rows.get(i));
            }
        }
        assertEquals(metrics.get("train.loss").asDouble(), Double.parseDouble(rows.get(rows.size() - 1).get("loss")));
        assertEquals(2.0, Double.parseDouble(rows.get(rows.size() - 1).get("epoch")), 1e-9);
    }

    @Test
    void theFineTuningResultGivesTheHistoryAsADataFrameOfItsRounds() throws Exception {
        FineTuneResult result = new FineTuner(TestClusters.spark(), config("data.trainPath=" + train,
                "data.validationPath=" + validation, "training.epochs=1")).fit();

        Dataset<Row> history = result.history(TestClusters.spark());

        assertEquals(TrainingHistory.COLUMNS, Arrays.asList(history.columns()));
        List<Row> rows = history.orderBy("round").collectAsList();
        assertEquals(result.outcome().rounds(), rows.size());
        assertEquals(result.metrics().get("train.loss"), rows.get(rows.size() - 1).<Double>getAs("loss"));
        assertEquals(result.metrics().get("validation.accuracy"), rows.get(rows.size() - 1).<Double>getAs("validation_metric"),
                "one epoch validates once, after the last round");
        assertNotNull(result.validation(), "the kept model's figures on the validation split");
        assertEquals(result.metrics().get("validation.accuracy"), result.validation().accuracy());
    }

    @Test
    void historyHoldsTheValidationMetricOnlyAfterTheRoundsThatMeasuredIt() {
        TrainingState state = new TrainingState(3, MetricGoal.MAXIMIZE);
        HistoryRecorder recorder = new HistoryRecorder();
        RoundResult round = new RoundResult(new float[0], new float[0], 10, 6.0, 3, 400, 2, 2, 100_000_000L,
                300_000_000L, 100_000_000L, 0L, 0, 0);
        for (int r = 1; r <= 3; r++) {
            state.afterRound(r, round, r * 500_000_000L);
            state.atStep(2L * r, r / 3.0, 1e-3 * r);
            if (r != 2) {
                state.recordValidation(0.5 + r / 10.0);
                recorder.onEvaluate(state);
            }
            recorder.onRoundEnd(state);
        }

        List<TrainingHistory.Round> rounds = recorder.history().rounds();
        assertEquals(List.of(0.6, 0.8), recorder.history().validated().stream().map(TrainingHistory.Round::validationMetric)
                .toList());
        assertNull(rounds.get(1).validationMetric(), "round 2 measured nothing");
        assertEquals(new TrainingHistory.Round(2, 2 / 3.0, 4, 2.0, 2e-3, 800.0, 0.5, 1.0, null), rounds.get(1));
        assertEquals("round,epoch,step,loss,learning_rate,tokens_per_second,round_seconds,elapsed_seconds,validation_metric",
                recorder.history().toCsv().lines().findFirst().orElseThrow());
        assertEquals("2,0.6666666666666666,4,2.0,0.002,800.0,0.5,1.0,", recorder.history().toCsv().lines().toList().get(2));
        assertEquals(List.of(new TrainingHistory.Epoch(1, 1, 3, 2.0, 3e-3, 0.8)), recorder.history().perEpoch(),
                "three rounds ending at a third, two thirds and the whole of epoch 1");
    }

    // ---- reading back

    private static JsonNode modelMetrics(Path job) throws Exception {
        return JSON.readTree(job.resolve(JobOutputs.MODEL).resolve(ModelDirectory.METRICS).toFile());
    }

    /** history.csv as one map per line, by column. */
    private static List<Map<String, String>> history(Path job) throws Exception {
        List<String> lines = Files.readAllLines(job.resolve(JobOutputs.HISTORY));
        assertEquals(String.join(",", TrainingHistory.COLUMNS), lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(TrainingHistory.COLUMNS.size(), cells.length, line);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                row.put(TrainingHistory.COLUMNS.get(i), cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    // ---- fixtures

    /** {@code n} label-TAB-text reviews alternating between pos and neg. */
    private static Path reviews(String name, int n, int shift) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean positive = i % 2 == 0;
            String word = (positive ? GOOD : BAD)[(i / 2 + shift) % 4];
            lines.add((positive ? "pos" : "neg") + "\tthe film was " + word + (i % 3 == 0 ? " and the plot " + word : ""));
        }
        return Files.write(dir.resolve(name), lines);
    }

    /** A tiny configuration: two workers, batches of 4, 16-token sequences, no checkpoints; {@code sets} win. */
    private static SparkformerConfig config(String... sets) {
        List<String> all = new ArrayList<>(List.of("model.preset=tiny", "model.maxLength=16", "data.maxLength=16",
                "data.vocabSize=60", "training.workers=2", "training.batchSize=4", "training.averagingFrequency=2",
                "training.lr=5e-3", "training.checkpointEvery=0"));
        all.addAll(List.of(sets));
        return ConfigLoader.load(List.of(), all);
    }

    private static void run(Job job, Path out, Path model, String... sets) throws Exception {
        run(job, out, model, false, sets);
    }

    private static void runResumed(Job job, Path out, String... sets) throws Exception {
        run(job, out, null, true, sets);
    }

    private static void run(Job job, Path out, Path model, boolean resume, String... sets) throws Exception {
        SparkformerConfig config = config(sets);
        JobRequest request = new JobRequest(job.name(), config, ConfigYaml.toYaml(config), Map.of(), out.toString(), false,
                resume, null, model == null ? null : model.toString(), null, Map.of("print", "false"));
        new JobRunner(TestClusters.localConf()).run(request, job);
    }
}
