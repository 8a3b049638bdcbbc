package org.sparkformer.driver.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.ConfigGrid;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.inputs.Folds;
import org.sparkformer.driver.inputs.SplitReader;
import org.sparkformer.driver.modeldir.DataFingerprint;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.report.JobReport;
import org.sparkformer.driver.storage.RenamedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sparkformer tune}: one fine-tuning run per point of the grid (option {@value #GRID_OPTION}), each scored by
 * its best validation accuracy on data.validationPath, into {@code <output>/leaderboard.parquet} and
 * {@code leaderboard.txt} (best first; ties keep grid order), the best point's model in {@code <output>/model}, its
 * provenance holding that point's whole configuration, and {@code report.html} with its chart {@code scores.png}
 * ({@link JobReport#tune}).
 * <p>
 * With {@value #FOLDS_OPTION} K, k-fold cross-validation instead: data.trainPath is split into K folds seeded from the
 * job seed (training.seed; {@link Folds}), each point is fine-tuned K times, on every fold but one, with the fold left
 * out as that run's validation split, and is scored by the mean of the K accuracies (the leaderboard also holds their
 * sample standard deviation and each fold's figure). The best point is then fine-tuned again on the whole of
 * data.trainPath (validated on data.validationPath when that is set), and that model is the one kept.
 */
public final class TuneJob implements Job {

    /** Job option: the grid's YAML text. */
    public static final String GRID_OPTION = "grid";
    /** Job option: where the grid came from, for messages. */
    public static final String GRID_NAME_OPTION = "gridName";
    /** Job option: the number of cross-validation folds; absent for a search scored on data.validationPath. */
    public static final String FOLDS_OPTION = "folds";
    public static final String LEADERBOARD_PARQUET = "leaderboard.parquet";
    public static final String LEADERBOARD_TEXT = "leaderboard.txt";
    private static final String SCORE = "validation.accuracy";
    /** The cross-validated score's columns (and keys in the kept model's metrics). */
    public static final String CV_MEAN = "cv.accuracy.mean";
    public static final String CV_STD = "cv.accuracy.std";
    /**
     * The keys a grid may not vary under cross-validation: they change which records are read, and data.trainPath is
     * read once, with the base configuration, and split into the same folds for every point.
     */
    static final List<String> READ_KEYS = List.of("data.trainPath", "data.format", "data.task", "data.header",
            "data.textColumn", "data.labelColumn", "data.onBadRecord");
    private static final Logger LOG = LoggerFactory.getLogger(TuneJob.class);

    @Override
    public String name() {
        return "tune";
    }

    /**
     * One point's outcome: its score on each fold (one score without folds), the mean training loss and the seconds
     * all its runs took.
     */
    record Trial(int number, List<String> values, List<Double> scores, double trainLoss, double seconds) {

        /** The mean score over the folds. */
        double score() {
            return scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** The sample standard deviation of the fold scores (n - 1 in the denominator). */
        double std() {
            double mean = score();
            double squares = scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum();
            return Math.sqrt(squares / (scores.size() - 1));
        }
    }

    /** Why {@code folds} folds cannot cross-validate this grid, or null when they can; checked before Spark starts. */
    public static String foldsProblem(int folds, ConfigGrid grid) {
        String problem = Folds.check(folds, Long.MAX_VALUE, "data.trainPath");
        if (problem != null) {
            return problem;
        }
        for (String key : grid.keys()) {
            if (READ_KEYS.contains(key)) {
                return grid.name() + ": --folds splits one training set into the same folds for every point, so the "
                        + "grid cannot vary " + key;
            }
        }
        return null;
    }

    /**
     * Why data.trainPath cannot be split into {@code folds} folds, or null when it can; checked before Spark starts,
     * counting its records only up to {@code folds}.
     */
    public static String recordsProblem(int folds, SparkformerConfig base, Configuration conf) {
        String train = base.data().trainPath();
        if (train == null || train.isBlank()) {
            return "--folds splits data.trainPath into folds: set it";
        }
        long records;
        try {
            records = SplitReader.countUpTo(base.data(), train, conf, folds);
        } catch (RuntimeException e) {
            return "--folds " + folds + ": cannot count the records of " + train + ": " + e.getMessage();
        }
        return Folds.check(folds, records, train);
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobRequest request = context.request();
        ConfigGrid grid = ConfigGrid.parse(request.option(GRID_OPTION, ""), request.option(GRID_NAME_OPTION, "the grid"));
        List<SparkformerConfig> configs = grid.configs(request.configYaml());
        List<List<String>> points = grid.points();
        int folds = Integer.parseInt(request.option(FOLDS_OPTION, "0"));
        TrainedModel pretrained = null;
        String pretrainedSource = null;
        if (request.model() != null) {
            Path dir = new Path(request.model());
            FileSystem fs = dir.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
            pretrained = TrainedModel.load(fs, dir);
            pretrainedSource = fs.makeQualified(dir).toString();
        }
        Runs runs = new Runs(context.spark(), pretrained, pretrainedSource);
        CrossValidation cv = folds > 0 ? CrossValidation.split(context.spark(), request.config(), folds) : null;
        List<Trial> trials = new ArrayList<>();
        FineTuneResult best = null;
        int bestIndex = -1;
        try {
            for (int i = 0; i < configs.size(); i++) {
                String point = String.join(", ", points.get(i));
                LOG.info("tune: point {}/{}: {}", i + 1, configs.size(), point);
                long start = System.nanoTime();
                List<Double> scores = new ArrayList<>();
                double loss = 0;
                for (int f = 0; f < Math.max(folds, 1); f++) {
                    FineTuneResult result = cv == null ? runs.fit(configs.get(i)) : cv.fit(runs, configs.get(i), f);
                    Double score = result.metrics().get(SCORE);
                    if (score == null) {
                        throw new IllegalStateException("point " + point + " has no " + SCORE);
                    }
                    scores.add(score);
                    loss += result.metrics().getOrDefault("train.loss", Double.NaN);
                    if (cv != null) {
                        LOG.info("tune: point {}/{}, fold {}/{}: accuracy {}", i + 1, configs.size(), f + 1, folds,
                                String.format(Locale.ROOT, "%.4f", score));
                    } else if (best == null || score > best.metrics().get(SCORE)) {
                        best = result;
                        bestIndex = i;
                    }
                }
                List<String> values = points.get(i).stream().map(p -> p.substring(p.indexOf('=') + 1)).toList();
                Trial trial = new Trial(i + 1, values, scores, loss / scores.size(), (System.nanoTime() - start) / 1e9);
                trials.add(trial);
                LOG.info("tune: point {}/{}: {}", i + 1, configs.size(), cv == null
                        ? SCORE + " " + String.format(Locale.ROOT, "%.4f", trial.score())
                        : String.format(Locale.ROOT, "%s %.4f, %s %.4f over %d folds", CV_MEAN, trial.score(), CV_STD,
                        trial.std(), folds));
            }
        } finally {
            if (cv != null) {
                cv.unpersist();
            }
        }
        List<Trial> ranked = trials.stream().sorted(Comparator.comparingDouble(Trial::score).reversed()
                .thenComparingInt(Trial::number)).toList();
        writeParquet(context, grid, ranked, folds);
        String table = table(grid, ranked, folds);
        RenamedFile.write(context.outputFs(), new Path(context.output(), LEADERBOARD_TEXT),
                table.getBytes(StandardCharsets.UTF_8));
        if (Boolean.parseBoolean(request.option("print", "true"))) {
            System.out.print(table);
        }
        Map<String, Double> metrics;
        if (cv != null) {
            Trial top = ranked.get(0);
            bestIndex = top.number() - 1;
            LOG.info("tune: fine-tuning the best point ({}) again on the whole of {}", String.join(", ",
                    points.get(bestIndex)), request.config().data().trainPath());
            best = runs.fit(configs.get(bestIndex));
            metrics = new LinkedHashMap<>(best.metrics());
            metrics.put("cv.folds", (double) folds);
            metrics.put(CV_MEAN, top.score());
            metrics.put(CV_STD, top.std());
        } else {
            metrics = best.metrics();
        }
        SparkformerConfig chosen = configs.get(bestIndex);
        DataSection data = chosen.data();
        String yaml = ConfigYaml.toYaml(chosen);
        String fingerprint = DataFingerprint.ofPaths(context.spark().sparkContext().hadoopConfiguration(),
                data.trainPath(), data.validationPath());
        Path model = new Path(context.output(), JobOutputs.MODEL);
        best.model().saveHoldingLock(context.outputFs(), model, metrics, Provenance.now(name(), yaml, fingerprint),
                null, false);
        LOG.info("tune: best of {} points: {} ({}), model written to {}", configs.size(),
                String.join(", ", points.get(bestIndex)), cv == null
                        ? SCORE + " " + String.format(Locale.ROOT, "%.4f", best.metrics().get(SCORE))
                        : String.format(Locale.ROOT, "%s %.4f", CV_MEAN, metrics.get(CV_MEAN)), model);
        // where the model will be once the job is done (an --overwrite job writes into a staging directory first)
        Path kept = context.outputFs().makeQualified(new Path(request.output(), JobOutputs.MODEL));
        new JobOutputs(context).writeJobReport(report(grid, trials, ranked, folds, points, metrics, kept,
                request.config().data()));
    }

    /** report.html: the leaderboard as leaderboard.txt has it, every point's score, the best point and its model. */
    private static JobReport report(ConfigGrid grid, List<Trial> trials, List<Trial> ranked, int folds,
                                    List<List<String>> points, Map<String, Double> metrics, Path model,
                                    DataSection base) {
        int best = ranked.get(0).number();
        List<String> bestPoint = points.get(best - 1);
        String searched = trials.size() + (trials.size() == 1 ? " point of " : " points of ") + grid.name();
        List<String> facts = new ArrayList<>();
        facts.add(folds > 0
                ? searched + ", each fine-tuned " + folds + " times by " + folds + "-fold cross-validation on "
                + base.trainPath() + " and scored by " + CV_MEAN + ", the mean of its folds' accuracies (" + CV_STD
                + ": their sample standard deviation)"
                : searched + ", each scored by its best " + SCORE + " on " + base.validationPath());
        String dir = JobOutputs.MODEL + "/";
        facts.add("The best point, " + best + " (" + String.join(", ", bestPoint) + ")"
                + (folds > 0 ? ", fine-tuned again on the whole of " + base.trainPath() + "," : "") + " is kept in "
                + dir + " beside this page (" + model + "): its figures, below, are " + dir + ModelDirectory.METRICS
                + ", its whole configuration " + dir + ModelDirectory.PROVENANCE + ".");
        Map<String, String> settings = new LinkedHashMap<>();
        for (String p : bestPoint) {
            settings.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        List<List<JobReport.Cell>> rows = new ArrayList<>();
        int labels = 2 + grid.keys().size();
        for (int r = 0; r < ranked.size(); r++) {
            List<String> line = line(ranked.get(r), r + 1, folds);
            List<Double> figures = figures(ranked.get(r), folds);
            List<JobReport.Cell> row = new ArrayList<>();
            for (int c = 0; c < line.size(); c++) {
                row.add(c < labels ? JobReport.Cell.label(line.get(c))
                        : JobReport.Cell.figure(line.get(c), figures.get(c - labels)));
            }
            rows.add(row);
        }
        List<JobReport.ScoredPoint> scored = trials.stream().map(t -> new JobReport.ScoredPoint(t.number(), t.score(),
                folds > 0 ? t.std() : Double.NaN, folds > 0 ? t.scores() : List.of())).toList();
        return JobReport.tune(facts, settings, header(grid, folds), rows, scored, folds > 0 ? CV_MEAN : SCORE,
                "accuracy", metrics, JobOutputs.MODEL + "/" + ModelDirectory.METRICS);
    }

    /** Fine-tuning runs from the same start: the pretrained model when there is one. */
    private record Runs(SparkSession spark, TrainedModel pretrained, String pretrainedSource) {

        FineTuner tuner(SparkformerConfig config) {
            FineTuner tuner = new FineTuner(spark, config);
            if (pretrained != null) {
                tuner.setPretrained(pretrained, pretrainedSource);
            }
            return tuner;
        }

        /** A run on the configured splits. */
        FineTuneResult fit(SparkformerConfig config) throws Exception {
            return tuner(config).fit();
        }
    }

    /**
     * data.trainPath read once and split into folds, with the labels of the whole split, so that every fold's run
     * knows every label.
     */
    private static final class CrossValidation {
        private final Folds<LabelledText> texts;
        private final Folds<TaggedSentence> sentences;
        private final LabelSet labels;

        private CrossValidation(Folds<LabelledText> texts, Folds<TaggedSentence> sentences, LabelSet labels) {
            this.texts = texts;
            this.sentences = sentences;
            this.labels = labels;
        }

        static CrossValidation split(SparkSession spark, SparkformerConfig config, int k) {
            SplitReader inputs = new SplitReader(spark, config.data());
            String train = config.data().trainPath();
            long seed = config.training().seed();
            if (inputs.isTagging()) {
                ReadResult<TaggedSentence> read = inputs.tagged(train);
                try {
                    Folds<TaggedSentence> folds = Folds.of(read.records(), k, seed, train);
                    reportSkipped(read, train);
                    LabelSet labels = LabelSet.infer(folds.all().flatMap(s -> s.tags().iterator()));
                    LOG.info("tune: {} sentences of {} in {} folds", folds.records(), train, k);
                    return new CrossValidation(null, folds, labels);
                } finally {
                    read.unpersist();
                }
            }
            ReadResult<LabelledText> read = inputs.labelledText(train);
            try {
                Folds<LabelledText> folds = Folds.of(read.records(), k, seed, train);
                reportSkipped(read, train);
                LabelSet labels = LabelSet.infer(folds.all().map(LabelledText::label));
                LOG.info("tune: {} records of {} in {} folds", folds.records(), train, k);
                return new CrossValidation(folds, null, labels);
            } finally {
                read.unpersist();
            }
        }

        private static void reportSkipped(ReadResult<?> read, String train) {
            long skipped = read.skippedTotal();
            if (skipped > 0) {
                LOG.warn("tune: {} bad record(s) of {} skipped before the split into folds: {}, e.g. {}", skipped, train,
                        read.skippedByReason(), read.skippedExamples(3).stream()
                                .map(b -> b.file() + ":" + b.line() + ": " + b.detail()).toList());
            }
        }

        /** Fold {@code fold}'s run: trained on the other folds, validated on this one. */
        FineTuneResult fit(Runs runs, SparkformerConfig config, int fold) throws Exception {
            FineTuner tuner = runs.tuner(config).setLabels(labels);
            if (texts != null) {
                tuner.setExamples(texts.training(fold), texts.heldOut(fold));
            } else {
                tuner.setTaggedExamples(sentences.training(fold), sentences.heldOut(fold));
            }
            return tuner.fit();
        }

        void unpersist() {
            if (texts != null) {
                texts.unpersist();
            } else {
                sentences.unpersist();
            }
        }
    }

    /** The leaderboard's column names, in order. */
    private static List<String> header(ConfigGrid grid, int folds) {
        List<String> header = new ArrayList<>(List.of("rank", "point"));
        header.addAll(grid.keys());
        if (folds > 0) {
            header.addAll(List.of(CV_MEAN, CV_STD));
            for (int f = 1; f <= folds; f++) {
                header.add("fold" + f + ".accuracy");
            }
        } else {
            header.add(SCORE);
        }
        header.addAll(List.of("train.loss", "seconds"));
        return header;
    }

    /** A trial's figures after the grid values: the score(s), the training loss and the seconds. */
    private static List<Double> figures(Trial t, int folds) {
        List<Double> figures = new ArrayList<>();
        figures.add(t.score());
        if (folds > 0) {
            figures.add(t.std());
            figures.addAll(t.scores());
        }
        figures.add(t.trainLoss());
        figures.add(t.seconds());
        return figures;
    }

    private static void writeParquet(JobContext context, ConfigGrid grid, List<Trial> ranked, int folds) {
        List<String> header = header(grid, folds);
        List<StructField> fields = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            fields.add(DataTypes.createStructField(header.get(c), c < 2 ? DataTypes.IntegerType
                    : c < 2 + grid.keys().size() ? DataTypes.StringType : DataTypes.DoubleType, false));
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ranked.size(); r++) {
            Trial t = ranked.get(r);
            List<Object> values = new ArrayList<>();
            values.add(r + 1);
            values.add(t.number());
            values.addAll(t.values());
            values.addAll(figures(t, folds));
            rows.add(RowFactory.create(values.toArray()));
        }
        context.spark().createDataFrame(rows, new StructType(fields.toArray(StructField[]::new))).coalesce(1).write()
                .mode(SaveMode.ErrorIfExists).parquet(new Path(context.output(), LEADERBOARD_PARQUET).toString());
    }

    /** A trial's leaderboard line as shown: rank, point, the grid values, then the figures (seconds to 0.1). */
    private static List<String> line(Trial t, int rank, int folds) {
        List<String> line = new ArrayList<>(List.of(Integer.toString(rank), Integer.toString(t.number())));
        line.addAll(t.values());
        List<Double> figures = figures(t, folds);
        for (int c = 0; c < figures.size(); c++) {
            line.add(String.format(Locale.ROOT, c == figures.size() - 1 ? "%.1f" : "%.4f", figures.get(c)));
        }
        return line;
    }

    /** The leaderboard as an aligned text table, best first. */
    static String table(ConfigGrid grid, List<Trial> ranked, int folds) {
        List<String> header = header(grid, folds);
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (int r = 0; r < ranked.size(); r++) {
            lines.add(line(ranked.get(r), r + 1, folds));
        }
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int c = 0; c < line.size(); c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            for (int c = 0; c < line.size(); c++) {
                out.append(c == 0 ? "" : "  ").append(String.format("%-" + widths[c] + "s", line.get(c)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
