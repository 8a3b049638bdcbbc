package org.sparkformer.bench.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.driver.averaging.RoundTransport;
import org.sparkformer.driver.cli.Sparkformer;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.driver.jobs.JobOutputs;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.evaluation.MetricsJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Runs the quality protocol ({@code scripts/quality}). For each data set: masked-LM pretraining on its unlabelled
 * text; for each of its tasks: fine-tuning from fresh weights and from the pretrained encoder (dev for early stopping
 * only), the evaluate job on the test split (the model's score and the baselines), and for token tasks the evaluate
 * job on the shuffled test split. The output directory is cleared first; every job's own output stays in it, with
 * {@code quality.txt} (the table) and {@code quality.json} (the JSON line).
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Fine-tune fixed tasks from fresh weights and from a pretrained encoder; print the test scores beside"
                + " simple baselines, the word-order test, wall time and tokens trained.")
public final class QualityBenchmark implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Seed of the order test's word shuffles: the default job seed. */
    static final long SHUFFLE_SEED = 1234;
    /** File that marks a directory as a quality run's, which the next run may clear. */
    static final String MARKER = ".quality-run";

    @Option(names = "--budget", defaultValue = "quick", description = "quick or full (default: ${DEFAULT-VALUE})")
    String budgetName;

    @Option(names = "--data", defaultValue = "${env:SPARKFORMER_DATA:-data}",
            description = "directory holding wordnet/ and ud-ewt/ (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--json", description = "print one JSON line on standard output, the table on standard error")
    boolean json;

    @Option(names = "--output", required = true, description = "the run's directory, cleared first")
    Path output;

    @Option(names = "--repo", defaultValue = ".", description = "the source tree: conf/ and the embedded sample (default: ${DEFAULT-VALUE})")
    Path repo;

    @Option(names = "--commit", defaultValue = "unknown", description = "the commit measured, as recorded in the report")
    String commit;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master of the jobs (default: ${DEFAULT-VALUE})")
    String master;

    private Path work;
    private final Map<String, Path> pretrainedModels = new HashMap<>();
    private final Map<String, Double> pretrainSeconds = new HashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new QualityBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        QualityBudget budget = QualityBudget.parse(budgetName);
        work = output.toAbsolutePath();
        clear(work);
        long started = System.nanoTime();
        QualityProtocol protocol = new QualityProtocol(budget, repo.toAbsolutePath().normalize(), data.toAbsolutePath(), work,
                SHUFFLE_SEED);
        SparkSession spark = session(master);
        List<TaskResult> results = new ArrayList<>();
        QualityReport report;
        try {
            for (QualityTask task : protocol.tasks()) {
                results.add(measure(task));
                // after every task, so that a run cut short still leaves the tasks it finished
                report = new QualityReport(budget, commit, data.toAbsolutePath(), protocol, results,
                        (System.nanoTime() - started) / 1e9);
                write(report);
                System.err.print("quality: after " + task.name() + "\n" + report.table());
            }
        } finally {
            spark.stop();
        }
        report = new QualityReport(budget, commit, data.toAbsolutePath(), protocol, results, (System.nanoTime() - started) / 1e9);
        write(report);
        String table = report.table();
        String line = report.jsonLine();
        PrintStream tableOut = json ? System.err : System.out;
        tableOut.print(table);
        tableOut.flush();
        System.out.println(line);
        System.out.flush();
        return 0;
    }

    private void write(QualityReport report) throws IOException {
        Files.writeString(work.resolve("quality.txt"), report.table());
        Files.writeString(work.resolve("quality.json"), report.jsonLine() + "\n");
    }

    /** Pretraining (once per data set), both fine-tuning runs, and the test evaluations of one task. */
    private TaskResult measure(QualityTask task) throws IOException {
        Path pretrained = pretrained(task.pretrain());
        Path dir = work.resolve(task.name());
        TrainedRun fresh = fineTuneAndTest(task, dir.resolve("fresh"), null);
        TrainedRun fromPretrained = fineTuneAndTest(task, dir.resolve("pretrained"), pretrained);
        JsonNode metrics = readJson(dir.resolve("pretrained/evaluation").resolve(MetricsJson.FILE_NAME));
        Map<String, Double> baselines = new LinkedHashMap<>();
        metrics.path("baselines").fields().forEachRemaining(e -> {
            if (e.getValue().has("accuracy")) {
                baselines.put(e.getKey(), e.getValue().get("accuracy").asDouble());
            }
        });
        double shuffled = Double.NaN;
        if (task.shuffledTest() != null) {
            Path out = dir.resolve("pretrained/evaluation-shuffled");
            runJob(task.name() + " order test", job("evaluate", task.configs(), task.settings(), out,
                    "--model", dir.resolve("pretrained").resolve(JobOutputs.MODEL).toString(), "--input", task.shuffledTest()));
            shuffled = readJson(out.resolve(MetricsJson.FILE_NAME)).get("accuracy").asDouble();
        }
        long trainExamples = readJson(dir.resolve("fresh").resolve(JobOutputs.DATA_REPORT)).path("documents").asLong();
        return new TaskResult(task, trainExamples, fromPretrained, fresh, baselines, shuffled,
                pretrainSeconds.get(task.pretrain().name()));
    }

    /** The pretrained model directory of a data set, pretraining it on first use. */
    private Path pretrained(QualityTask.Pretraining p) {
        Path model = pretrainedModels.get(p.name());
        if (model == null) {
            Path out = work.resolve("pretrain-" + p.name());
            pretrainSeconds.put(p.name(), runJob("pretrain " + p.name(), job("pretrain", p.configs(), p.settings(), out)));
            model = out.resolve(JobOutputs.MODEL);
            pretrainedModels.put(p.name(), model);
        }
        return model;
    }

    /** Fine-tunes into {@code dir}/ (from {@code pretrained} when not null) and evaluates on test into dir/evaluation. */
    private TrainedRun fineTuneAndTest(QualityTask task, Path dir, Path pretrained) throws IOException {
        String what = task.name() + (pretrained == null ? " from fresh weights" : " from the pretrained encoder");
        List<String> args = job("finetune", task.configs(), task.settings(), dir);
        if (pretrained != null) {
            args.addAll(List.of("--model", pretrained.toString()));
        }
        double seconds = runJob("finetune " + what, args);
        Path model = dir.resolve(JobOutputs.MODEL);
        runJob("evaluate " + what, job("evaluate", task.configs(), task.settings(), dir.resolve("evaluation"),
                "--model", model.toString()));
        double test = readJson(dir.resolve("evaluation").resolve(MetricsJson.FILE_NAME)).get("accuracy").asDouble();
        JsonNode modelMetrics = readJson(model.resolve(ModelDirectory.METRICS));
        double dev = modelMetrics.has("validation.accuracy") ? modelMetrics.get("validation.accuracy").asDouble() : Double.NaN;
        return new TrainedRun(test, dev, seconds, tokensTrained(task, dir, modelMetrics));
    }

    /** Optimizer steps per worker x workers x sequences per step x mean tokens per training sequence. */
    private static long tokensTrained(QualityTask task, Path dir, JsonNode modelMetrics) throws IOException {
        JsonNode report = readJson(dir.resolve(JobOutputs.DATA_REPORT));
        long sequences = report.path("sequences").asLong();
        if (sequences == 0) {
            return 0;
        }
        TrainingSection t = ConfigLoader.load(task.configs().stream().map(Path::of).toList(), task.settings()).training();
        double perSequence = (double) report.path("tokens").asLong() / sequences;
        double steps = modelMetrics.path("train.steps").asDouble();
        return Math.round(steps * t.workers() * t.batchSize() * t.accumulationSteps() * perSequence);
    }

    /** The command line of one job. */
    private List<String> job(String command, List<String> configs, List<String> settings, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--output", output.toString(), "--master", master));
        configs.forEach(c -> args.addAll(List.of("--config", c)));
        settings.forEach(s -> args.addAll(List.of("--set", s)));
        args.addAll(List.of(extra));
        return args;
    }

    /** Runs one job through the command line in this JVM; returns its wall time in seconds. */
    private static double runJob(String what, List<String> args) {
        System.err.println("quality: " + what);
        long start = System.nanoTime();
        // what a job prints (evaluate prints its metrics) goes to standard error: standard output is the report's
        PrintStream out = System.out;
        System.setOut(System.err);
        int exit;
        try {
            exit = Sparkformer.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        if (exit != 0) {
            throw new IllegalStateException(what + " failed (exit " + exit + "): sparkformer " + String.join(" ", args));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** One local Spark session for every job, with the round transport settings the command line gives its own. */
    private static SparkSession session(String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("sparkformer quality").master(master)
                .config("spark.ui.enabled", "false");
        RoundTransport.missingFrom(new SparkConf()).forEach(builder::config);
        return builder.getOrCreate();
    }

    private static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Empties the run's directory; refuses one that holds files but no marker of an earlier run. */
    private static void clear(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
                    throw new IllegalArgumentException("--output " + dir + " holds files but no " + MARKER
                            + " of an earlier quality run: give an empty or new directory");
                }
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(MARKER));
    }
}
