package org.sparkformer.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.evaluation.ClassificationMetrics;
import org.sparkformer.driver.executor.ConfusionMatrix;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.storage.RenamedFile;

import java.awt.AWTError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A job's {@code report.html}: one self-contained page (the charts inline as base64 PNG images, the style inline; no
 * script, font, style sheet or image is fetched from anywhere) with the job's figures, for training the loss,
 * learning-rate, throughput and validation curves over the rounds, and for a classifier its per-class precision, recall
 * and F1 and its confusion matrix, and for a grid search its leaderboard, each point's score and the best point's
 * settings. The charts are also written beside it as PNG files. Every figure in the page carries its full value and
 * its metrics.json key: {@code <td data-metric="accuracy" data-value="0.8461538461538461">}; a leaderboard cell its
 * column instead: {@code <td data-column="validation.accuracy" data-value="0.9375">0.9375</td>}.
 * <p>
 * Charts that cannot be drawn (a JVM without fonts, say) leave the page with its tables and a line saying why, logged
 * as a warning: the job's results stand.
 */
public final class JobReport {

    public static final String FILE_NAME = "report.html";
    public static final String LOSS_PNG = "loss.png";
    public static final String LEARNING_RATE_PNG = "learning-rate.png";
    public static final String THROUGHPUT_PNG = "tokens-per-second.png";
    public static final String VALIDATION_PNG = "validation.png";
    public static final String CONFUSION_PNG = "confusion-matrix.png";
    public static final String SCORES_PNG = "scores.png";

    private static final Logger LOG = LoggerFactory.getLogger(JobReport.class);

    /** A chart: the PNG file it is written to beside the report, its title, and the image. */
    public record Chart(String fileName, String title, byte[] png) {
    }

    /** One figure of the job, under its metrics.json key. */
    private record Figure(String key, double value) {
    }

    /** A leaderboard cell: the text shown and, for a figure, its full value (null for a label such as a grid value). */
    public record Cell(String text, Double value) {

        public static Cell label(String text) {
            return new Cell(text, null);
        }

        public static Cell figure(String text, double value) {
            return new Cell(text, value);
        }
    }

    /**
     * A point of a grid search as the scores chart draws it.
     *
     * @param number its number in grid order
     * @param score  its score: the mean over the folds, or the one validation score
     * @param std    the folds' sample standard deviation; NaN without folds
     * @param folds  each fold's score; empty without folds
     */
    public record ScoredPoint(int number, double score, double std, List<Double> folds) {
        public ScoredPoint {
            folds = List.copyOf(folds);
        }
    }

    /** The leaderboard section: its columns and rows, best first. */
    private record Leaderboard(List<String> columns, List<List<Cell>> rows) {
    }

    private final String title;
    private final List<TrainingHistory.Epoch> epochs;
    private final List<String> facts;
    private final List<Figure> figures;
    private final List<Chart> charts = new ArrayList<>();
    private final ClassificationMetrics classification;
    private final String classifiedSplit;
    private String figuresHeading = "Figures";
    private String chartsHeading = "Training";
    private Map<String, String> bestPoint = Map.of();
    private Leaderboard leaderboard;
    private String chartsProblem;

    private JobReport(String title, List<String> facts, List<Figure> figures, ClassificationMetrics classification,
                      String classifiedSplit, List<TrainingHistory.Epoch> epochs) {
        this.title = title;
        this.epochs = List.copyOf(epochs);
        this.facts = List.copyOf(facts);
        this.figures = List.copyOf(figures);
        this.classification = classification;
        this.classifiedSplit = classifiedSplit;
    }

    /**
     * The report of a training job ({@code pretrain}, {@code finetune}).
     *
     * @param metrics        the figures stored with the model (its metrics.json)
     * @param history        the rounds
     * @param validation     the kept model's figures on the validation split, or null
     * @param validationName the validation split as the report names it (its path), or null
     */
    public static JobReport training(String command, Map<String, Double> metrics, TrainingHistory history,
                                     ClassificationMetrics validation, String validationName) {
        List<String> facts = new ArrayList<>();
        facts.add(history.size() + " averaging rounds in this run; every round's figures are in history.csv");
        List<Figure> figures = new ArrayList<>();
        metrics.forEach((k, v) -> figures.add(new Figure(k, v)));
        JobReport report = new JobReport("sparkformer " + command, facts, figures, validation,
                validationName == null ? "the validation split" : "the validation split " + validationName,
                history.perEpoch());
        report.draw(() -> trainingCharts(history, validation));
        return report;
    }

    /**
     * The report of an evaluation: the numbers of {@code metrics} (its metrics.json, per-class figures and the
     * confusion matrix aside, which {@code classification} shows) and, for a classifier, its classification charts.
     */
    public static JobReport evaluation(ObjectNode metrics, ClassificationMetrics classification) {
        List<String> facts = new ArrayList<>();
        for (String key : List.of("model", "input", "task")) {
            if (metrics.hasNonNull(key)) {
                facts.add(key + ": " + metrics.get(key).asText());
            }
        }
        List<Figure> figures = new ArrayList<>();
        flatten("", metrics, figures);
        String input = metrics.hasNonNull("input") ? metrics.get("input").asText() : "the evaluated split";
        JobReport report = new JobReport("sparkformer evaluate", facts, figures, classification, input, List.of());
        report.draw(() -> classification == null ? List.of() : List.of(confusionChart(classification)));
        return report;
    }

    /**
     * The report of a grid search ({@code tune}): the best point's settings, the leaderboard, a chart of every point's
     * score (with folds the mean, an error bar of one standard deviation either side, and each fold's score) and the
     * kept model's figures.
     *
     * @param facts       lines on the search and where the kept model is, shown first
     * @param bestPoint   the best point's grid settings, key to value, in grid order
     * @param columns     the leaderboard's columns, as leaderboard.txt heads them
     * @param rows        its rows, best first, each cell as leaderboard.txt shows it
     * @param points      every point's scores, in grid order
     * @param scoreName   the score's name (its leaderboard column)
     * @param measure     what a run's score measures (the fold scores' too), the chart's value axis: "accuracy"
     * @param metrics     the kept model's figures (its metrics.json)
     * @param metricsName where those figures are, for the heading
     */
    public static JobReport tune(List<String> facts, Map<String, String> bestPoint, List<String> columns,
                                 List<List<Cell>> rows, List<ScoredPoint> points, String scoreName, String measure,
                                 Map<String, Double> metrics, String metricsName) {
        for (List<Cell> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a leaderboard row has " + row.size() + " cells for "
                        + columns.size() + " columns: " + row);
            }
        }
        List<Figure> figures = new ArrayList<>();
        metrics.forEach((k, v) -> figures.add(new Figure(k, v)));
        JobReport report = new JobReport("sparkformer tune", facts, figures, null, null, List.of());
        report.figuresHeading = "The kept model's figures (" + metricsName + ")";
        report.chartsHeading = "Scores";
        report.bestPoint = Collections.unmodifiableMap(new LinkedHashMap<>(bestPoint));
        report.leaderboard = new Leaderboard(List.copyOf(columns), rows.stream().map(List::copyOf).toList());
        String title = "Score of each point (" + scoreName + ")";
        report.draw(() -> List.of(new Chart(SCORES_PNG, title, Charts.scores(title, measure,
                points.stream().mapToInt(ScoredPoint::number).toArray(),
                points.stream().mapToDouble(ScoredPoint::score).toArray(),
                points.stream().mapToDouble(ScoredPoint::std).toArray(),
                points.stream().map(p -> p.folds().stream().mapToDouble(Double::doubleValue).toArray())
                        .toArray(double[][]::new)))));
        return report;
    }

    /** The charts drawn, in page order. */
    public List<Chart> charts() {
        return List.copyOf(charts);
    }

    /** Writes the charts as PNG files and then the page into {@code dir}, each under a temporary name first. */
    public void write(FileSystem fs, Path dir) throws IOException {
        for (Chart c : charts) {
            RenamedFile.write(fs, new Path(dir, c.fileName()), c.png());
        }
        RenamedFile.write(fs, new Path(dir, FILE_NAME), toHtml().getBytes(StandardCharsets.UTF_8));
    }

    private void draw(Supplier<List<Chart>> drawing) {
        try {
            charts.addAll(drawing.get());
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            chartsProblem = e.toString();
            LOG.warn("report.html is written without charts: they could not be drawn ({})", chartsProblem);
        }
    }

    private static List<Chart> trainingCharts(TrainingHistory history, ClassificationMetrics validation) {
        List<Chart> out = new ArrayList<>();
        List<TrainingHistory.Round> rounds = history.rounds();
        if (!rounds.isEmpty()) {
            double[] x = rounds.stream().mapToDouble(TrainingHistory.Round::round).toArray();
            out.add(new Chart(LOSS_PNG, "Training loss per round", Charts.line("Training loss per round", "loss", x,
                    rounds.stream().mapToDouble(TrainingHistory.Round::loss).toArray(), false, false)));
            out.add(new Chart(LEARNING_RATE_PNG, "Learning rate (last step of each round)",
                    Charts.line("Learning rate (last step of each round)", "learning rate", x,
                            rounds.stream().mapToDouble(TrainingHistory.Round::learningRate).toArray(), false, true)));
            out.add(new Chart(THROUGHPUT_PNG, "Throughput per round", Charts.line("Throughput per round", "tokens/s", x,
                    rounds.stream().mapToDouble(TrainingHistory.Round::tokensPerSecond).toArray(), false, false)));
        }
        List<TrainingHistory.Round> validated = history.validated();
        if (!validated.isEmpty()) {
            out.add(new Chart(VALIDATION_PNG, "Validation accuracy", Charts.line("Validation accuracy", "accuracy",
                    validated.stream().mapToDouble(TrainingHistory.Round::round).toArray(),
                    validated.stream().mapToDouble(TrainingHistory.Round::validationMetric).toArray(), true, false)));
        }
        if (validation != null) {
            out.add(confusionChart(validation));
        }
        return out;
    }

    private static Chart confusionChart(ClassificationMetrics m) {
        return new Chart(CONFUSION_PNG, "Confusion matrix", Charts.confusionMatrix(m.labels(), m.confusionMatrix()));
    }

    /** The numeric leaves of {@code node} under dotted keys, per-class figures and the confusion matrix left out. */
    private static void flatten(String prefix, JsonNode node, List<Figure> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix + f.getKey();
            if (prefix.isEmpty() && (f.getKey().equals("perClass") || f.getKey().equals("confusionMatrix"))) {
                continue;
            }
            if (f.getValue().isNumber()) {
                out.add(new Figure(key, f.getValue().asDouble()));
            } else if (f.getValue().isObject()) {
                flatten(key + ".", f.getValue(), out);
            }
        }
    }

    // ---------------------------------------------------------------- HTML

    /** The page. */
    public String toHtml() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append(" report</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px}")
                .append("td{text-align:right}th{background:#f0f0f0;text-align:left}img{max-width:100%}")
                .append("figure{margin:0 0 1.5em}figcaption{color:#666;font-size:90%}</style>\n</head><body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n");
        for (String fact : facts) {
            h.append("<p>").append(escape(fact)).append("</p>\n");
        }
        if (!bestPoint.isEmpty()) {
            h.append("<h2>Best point</h2>\n<table class=\"best-point\">\n");
            bestPoint.forEach((k, v) -> h.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                    .append("</td></tr>\n"));
            h.append("</table>\n");
        }
        if (leaderboard != null) {
            leaderboard(h);
        }
        h.append("<h2>").append(escape(figuresHeading)).append("</h2>\n<table class=\"figures\">\n");
        for (Figure f : figures) {
            h.append("<tr><th>").append(escape(f.key())).append("</th>").append(cell(f.key(), f.value()))
                    .append("</tr>\n");
        }
        h.append("</table>\n");
        if (chartsProblem != null) {
            h.append("<p><strong>The charts could not be drawn:</strong> ").append(escape(chartsProblem)).append("</p>\n");
        }
        List<Chart> curves = charts.stream().filter(c -> !c.fileName().equals(CONFUSION_PNG)).toList();
        if (!curves.isEmpty()) {
            h.append("<h2>").append(escape(chartsHeading)).append("</h2>\n");
            curves.forEach(c -> figure(h, c));
        }
        if (!epochs.isEmpty()) {
            perEpoch(h);
        }
        if (classification != null) {
            classification(h);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private void leaderboard(StringBuilder h) {
        h.append("<h2>Leaderboard</h2>\n<table class=\"leaderboard\">\n<tr>");
        leaderboard.columns().forEach(c -> h.append("<th>").append(escape(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<Cell> row : leaderboard.rows()) {
            h.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                Cell cell = row.get(c);
                h.append("<td data-column=\"").append(escape(leaderboard.columns().get(c))).append('"');
                if (cell.value() != null) {
                    h.append(" data-value=\"").append(cell.value()).append('"');
                }
                h.append('>').append(escape(cell.text())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private void perEpoch(StringBuilder h) {
        h.append("<h2>Per epoch</h2>\n<table class=\"per-epoch\">\n<tr><th>epoch</th><th>rounds</th>")
                .append("<th>mean training loss</th><th>learning rate at its end</th><th>validation accuracy</th></tr>\n");
        for (TrainingHistory.Epoch e : epochs) {
            h.append("<tr><th>").append(e.epoch()).append("</th><td>").append(e.firstRound()).append("&ndash;")
                    .append(e.lastRound()).append("</td><td>").append(format(e.meanLoss())).append("</td><td>")
                    .append(format(e.lastLearningRate())).append("</td><td>")
                    .append(e.validationMetric() == null ? "" : format(e.validationMetric())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private void classification(StringBuilder h) {
        ClassificationMetrics m = classification;
        h.append("<h2>Classification on ").append(escape(classifiedSplit)).append("</h2>\n<p>")
                .append(m.examples()).append(" examples, accuracy ").append(format(m.accuracy())).append(", macro-F1 ")
                .append(format(m.macroF1())).append(" (").append(escape(ClassificationMetrics.MACRO_F1_AVERAGING))
                .append(")</p>\n");
        h.append("<table class=\"per-class\">\n<tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>")
                .append("<th>support</th></tr>\n");
        List<String> labels = m.labels();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            h.append("<tr><th>").append(escape(label)).append("</th>")
                    .append(cell("perClass." + label + ".precision", m.precision(i)))
                    .append(cell("perClass." + label + ".recall", m.recall(i)))
                    .append(cell("perClass." + label + ".f1", m.f1(i)))
                    .append(cell("perClass." + label + ".support", m.support(i))).append("</tr>\n");
        }
        h.append("</table>\n");
        charts.stream().filter(c -> c.fileName().equals(CONFUSION_PNG)).forEach(c -> figure(h, c));
        ConfusionMatrix matrix = m.confusionMatrix();
        h.append("<details><summary>Confusion matrix as a table (rows: gold, columns: predicted)</summary>\n")
                .append("<table class=\"confusion\">\n<tr><th></th>");
        labels.forEach(l -> h.append("<th>").append(escape(l)).append("</th>"));
        h.append("</tr>\n");
        for (int g = 0; g < labels.size(); g++) {
            h.append("<tr><th>").append(escape(labels.get(g))).append("</th>");
            for (int p = 0; p < labels.size(); p++) {
                h.append("<td>").append(matrix.count(g, p)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n</details>\n");
    }

    private static void figure(StringBuilder h, Chart c) {
        h.append("<figure><img alt=\"").append(escape(c.title())).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(c.png())).append("\"><figcaption>").append(escape(c.title()))
                .append(" (also ").append(escape(c.fileName())).append(")</figcaption></figure>\n");
    }

    private static String cell(String key, double value) {
        String shown = RATIO.matcher(key).find() ? format(value) : count(value);
        return "<td data-metric=\"" + escape(key) + "\" data-value=\"" + value + "\">" + shown + "</td>";
    }

    /** Keys of figures that are ratios or losses, shown with decimals even when whole (an accuracy of 1.0000). */
    private static final Pattern RATIO = Pattern.compile("(?i)(accuracy|precision|recall|f1|loss|perplexity)[^.]*$");

    /** A whole number as an integer, anything else as {@link #format}. */
    private static String count(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : format(v);
    }

    /** To 4 decimals, or 4 significant digits when small. */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return v == 0 || Math.abs(v) >= 1e-3 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
