package org.sparkformer.driver.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.cli.Sparkformer;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.report.JobReport;
import org.sparkformer.driver.report.ReportChecks;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sparkformer tune over a 2x2 grid where one learning rate cannot learn and the other can, and by cross-validation;
 * each search's report.html shows the leaderboard with the numbers of leaderboard.txt and leaderboard.parquet, and is
 * checked as every job's report is ({@link ReportChecks}).
 */
class TuneJobTest {

    private static final String[] GOOD = {"good", "great", "nice", "fine"};
    private static final String[] BAD = {"bad", "awful", "poor", "sad"};

    @TempDir
    Path dir;

    @Test
    void theGridSearchRanksEveryPointAndKeepsTheModelOfTheBest() throws Exception {
        TestClusters.spark();
        Path train = reviews("train.tsv", 48, 0);
        Path validation = reviews("dev.tsv", 16, 1);
        String grid = "training.lr: [1.0e-9, 5.0e-3]\ntraining.epochs: [1, 2]\n";
        SparkformerConfig config = ConfigLoader.load(List.of(), List.of("model.preset=tiny", "model.maxLength=16",
                "data.maxLength=16", "data.vocabSize=60", "training.workers=2", "training.batchSize=4",
                "training.averagingFrequency=2", "training.checkpointEvery=0", "data.trainPath=" + train,
                "data.validationPath=" + validation));
        Path out = dir.resolve("tuned");
        JobRequest request = new JobRequest("tune", config, ConfigYaml.toYaml(config), Map.of(), out.toString(), false,
                false, null, null, null, Map.of(TuneJob.GRID_OPTION, grid, TuneJob.GRID_NAME_OPTION, "grid.yaml",
                "print", "false"));
        new JobRunner(TestClusters.localConf()).run(request, new TuneJob());

        List<String> table = Files.readAllLines(out.resolve(TuneJob.LEADERBOARD_TEXT));
        assertEquals(5, table.size(), String.join("\n", table));
        assertTrue(table.get(0).matches("rank +point +training\\.lr +training\\.epochs +validation\\.accuracy.*"), table.get(0));
        assertTrue(table.get(1).matches("1 +[34] +0\\.005 +[12] +.*"), "the learning rate that learns wins: " + table);
        assertTrue(table.get(4).contains("1.0E-9"), String.join("\n", table));

        Dataset<Row> board = TestClusters.spark().read().parquet(out.resolve(TuneJob.LEADERBOARD_PARQUET).toString())
                .orderBy("rank");
        List<Row> rows = board.collectAsList();
        assertEquals(4, rows.size());
        double best = rows.get(0).getAs("validation.accuracy");
        double worst = rows.get(3).getAs("validation.accuracy");
        assertTrue(best >= 0.8 && best - worst >= 0.25, "best " + best + ", worst " + worst);
        assertEquals("0.005", rows.get(0).getAs("training.lr"));

        Map<?, ?> metrics = new ObjectMapper().readValue(out.resolve(JobOutputs.MODEL).resolve("metrics.json").toFile(),
                Map.class);
        assertEquals(best, ((Number) metrics.get("validation.accuracy")).doubleValue(), 1e-12,
                "the kept model is the best point's");
        String provenance = Files.readString(out.resolve(JobOutputs.MODEL).resolve("provenance.json"));
        assertTrue(provenance.contains("lr: 0.005"), "the best point's own configuration: " + provenance);

        String html = assertTheReportShowsTheLeaderboard(out, table, rows);
        assertEquals(best, ReportChecks.figure(html, "validation.accuracy"), "the kept model's figures");
        assertTrue(html.contains("<table class=\"best-point\">\n<tr><th>training.lr</th><td>0.005</td></tr>\n"
                + "<tr><th>training.epochs</th><td>" + rows.get(0).getAs("training.epochs") + "</td></tr>\n</table>"),
                "the best point's settings: " + html.replaceAll("base64,[^\"]+", ""));
        assertTrue(html.contains(out.resolve(JobOutputs.MODEL).toUri().getPath().replaceAll("/$", "")),
                "the kept model's path: " + html.replaceAll("base64,[^\"]+", ""));
        ReportChecks.assertOpensInHeadlessChromiumWhenAsked(out, dir.resolve("chromium-tuned"), 150);
    }

    @Test
    void crossValidationPicksTheLearningRateThatLearnsAndReportsTheMeanAndSpreadOverFolds() throws Exception {
        TestClusters.spark();
        Path train = reviews("train.tsv", 96, 0);
        String grid = "training.lr: [1.0e-9, 5.0e-3]\n";
        SparkformerConfig config = ConfigLoader.load(List.of(), List.of("model.preset=tiny", "model.maxLength=16",
                "data.maxLength=16", "data.vocabSize=60", "training.workers=1", "training.batchSize=4",
                "training.averagingFrequency=4", "training.checkpointEvery=0", "training.epochs=3",
                "training.wordDropout=0", "data.trainPath=" + train));  // 64 reviews, 3 epochs: no regulariser
        Path out = dir.resolve("cv");
        JobRequest request = new JobRequest("tune", config, ConfigYaml.toYaml(config), Map.of(), out.toString(), false,
                false, null, null, null, Map.of(TuneJob.GRID_OPTION, grid, TuneJob.GRID_NAME_OPTION, "grid.yaml",
                TuneJob.FOLDS_OPTION, "3", "print", "false"));
        new JobRunner(TestClusters.localConf()).run(request, new TuneJob());

        List<String> table = Files.readAllLines(out.resolve(TuneJob.LEADERBOARD_TEXT));
        assertEquals(3, table.size(), String.join("\n", table));
        assertTrue(table.get(0).matches("rank +point +training\\.lr +cv\\.accuracy\\.mean +cv\\.accuracy\\.std"
                + " +fold1\\.accuracy +fold2\\.accuracy +fold3\\.accuracy +train\\.loss +seconds *"), table.get(0));
        assertTrue(table.get(1).matches("1 +2 +0\\.005 +[01]\\.\\d{4} +0\\.\\d{4} +.*"), "the rate that learns wins: " + table);

        List<Row> rows = TestClusters.spark().read().parquet(out.resolve(TuneJob.LEADERBOARD_PARQUET).toString())
                .orderBy("rank").collectAsList();
        assertEquals(2, rows.size());
        for (Row row : rows) {
            double[] folds = {row.getAs("fold1.accuracy"), row.getAs("fold2.accuracy"), row.getAs("fold3.accuracy")};
            double mean = (folds[0] + folds[1] + folds[2]) / 3;
            double squares = 0;
            for (double f : folds) {
                assertTrue(f >= 0 && f <= 1, "a fold's accuracy " + f);
                squares += (f - mean) * (f - mean);
            }
            assertEquals(mean, (double) row.getAs(TuneJob.CV_MEAN), 1e-12, "the mean of the folds");
            assertEquals(Math.sqrt(squares / 2), (double) row.getAs(TuneJob.CV_STD), 1e-12,
                    "the sample standard deviation of the folds");
        }
        double best = rows.get(0).getAs(TuneJob.CV_MEAN);
        double worst = rows.get(1).getAs(TuneJob.CV_MEAN);
        assertEquals("0.005", rows.get(0).getAs("training.lr"));
        assertTrue(best >= 0.8 && best - worst >= 0.25, "best " + best + ", worst " + worst);

        Map<?, ?> metrics = new ObjectMapper().readValue(out.resolve(JobOutputs.MODEL).resolve("metrics.json").toFile(),
                Map.class);
        assertEquals(best, ((Number) metrics.get(TuneJob.CV_MEAN)).doubleValue(), 1e-12, "the kept model is the best point's");
        assertEquals(3, ((Number) metrics.get("cv.folds")).intValue());
        assertTrue(((Number) metrics.get("train.rounds")).intValue() > 0, "retrained: " + metrics);
        String provenance = Files.readString(out.resolve(JobOutputs.MODEL).resolve("provenance.json"));
        assertTrue(provenance.contains("lr: 0.005"), "the best point's own configuration: " + provenance);

        String html = assertTheReportShowsTheLeaderboard(out, table, rows);
        assertEquals(best, ReportChecks.figure(html, TuneJob.CV_MEAN), "the kept model's figures");
        assertTrue(html.contains("<table class=\"best-point\">\n<tr><th>training.lr</th><td>0.005</td></tr>\n</table>"),
                "the best point's settings");
        ReportChecks.assertOpensInHeadlessChromiumWhenAsked(out, dir.resolve("chromium-cv"), 150);
    }

    @Test
    void crossValidationSplitsTheSentencesOfATaggingTaskAndKeepsATagger() throws Exception {
        TestClusters.spark();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.addAll(List.of("the\tDET", (i % 2 == 0 ? "film" : "plot") + "\tNOUN", "was\tVERB",
                    GOOD[i % 4] + "\tADJ", ""));
        }
        Path train = Files.write(dir.resolve("train.conll"), lines);
        SparkformerConfig config = ConfigLoader.load(List.of(), List.of("model.preset=tiny", "model.maxLength=16",
                "data.maxLength=16", "data.vocabSize=60", "data.format=conll", "data.task=token", "training.workers=1",
                "training.batchSize=4", "training.averagingFrequency=2", "training.checkpointEvery=0",
                "training.epochs=1", "data.trainPath=" + train));
        Path out = dir.resolve("cv-tagger");
        JobRequest request = new JobRequest("tune", config, ConfigYaml.toYaml(config), Map.of(), out.toString(), false,
                false, null, null, null, Map.of(TuneJob.GRID_OPTION, "training.lr: 5.0e-3\n",
                TuneJob.GRID_NAME_OPTION, "grid.yaml", TuneJob.FOLDS_OPTION, "2", "print", "false"));
        new JobRunner(TestClusters.localConf()).run(request, new TuneJob());

        List<Row> rows = TestClusters.spark().read().parquet(out.resolve(TuneJob.LEADERBOARD_PARQUET).toString())
                .collectAsList();
        assertEquals(1, rows.size());
        assertTheReportShowsTheLeaderboard(out, Files.readAllLines(out.resolve(TuneJob.LEADERBOARD_TEXT)), rows);
        double mean = rows.get(0).getAs(TuneJob.CV_MEAN);
        assertEquals(((double) rows.get(0).getAs("fold1.accuracy") + (double) rows.get(0).getAs("fold2.accuracy")) / 2,
                mean, 1e-12);
        Map<?, ?> labels = new ObjectMapper().readValue(out.resolve(JobOutputs.MODEL).resolve("labels.json").toFile(),
                Map.class);
        assertEquals(List.of("ADJ", "DET", "NOUN", "VERB"), labels.get("labels"),
                "a tagger of every tag of the training file");
    }

    @Test
    void foldsBelowTwoOrAboveTheRecordCountStopBeforeSparkStartsWithOneLine() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), "training.lr: [1.0e-4, 1.0e-3]\n");
        Path train = reviews("train.tsv", 5, 0);
        for (String[] c : List.of(new String[]{"1", "--folds 1: cross-validation needs at least 2 folds"},
                new String[]{"6", "--folds 6: " + train + " holds 5 records, fewer than the folds"})) {
            StringWriter err = new StringWriter();
            CommandLine cli = Sparkformer.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute("tune", "--grid", grid.toString(), "--folds", c[0], "--output",
                    dir.resolve("out").toString(), "--set", "data.trainPath=" + train);
            assertEquals(2, code, err.toString());
            assertEquals("sparkformer tune: " + c[1], err.toString().strip());
            assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
        }
        Path paths = Files.writeString(dir.resolve("paths.yaml"), "data.trainPath: [a.tsv, b.tsv]\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Sparkformer.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("tune", "--grid", paths.toString(), "--folds", "2", "--output",
                dir.resolve("out").toString(), "--set", "data.trainPath=" + train), err.toString());
        assertEquals("sparkformer tune: " + paths + ": --folds splits one training set into the same folds for every "
                + "point, so the grid cannot vary data.trainPath", err.toString().strip());
    }

    @Test
    void aGridNamingAnUnknownKeyStopsBeforeSparkStarts() throws Exception {
        Path grid = Files.writeString(dir.resolve("grid.yaml"), "training.lrr: [1.0e-4, 1.0e-3]\n");
        StringWriter err = new StringWriter();
        CommandLine cli = Sparkformer.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("tune", "--grid", grid.toString(), "--output", dir.resolve("out").toString(),
                "--set", "data.trainPath=t.tsv", "--set", "data.validationPath=d.tsv");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("unknown key training.lrr in " + grid + " (did you mean training.lr?)"),
                err.toString());
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
    }

    /**
     * The search's report.html is self-contained and embeds scores.png, a picture also written beside it, and its
     * leaderboard table has leaderboard.txt's columns and, row by row, its cells as leaderboard.txt shows them and
     * the full values of leaderboard.parquet ({@code rows}, by rank). Returns the page.
     */
    private static String assertTheReportShowsTheLeaderboard(Path out, List<String> text, List<Row> rows) throws Exception {
        String html = ReportChecks.selfContainedReport(out);
        ReportChecks.assertLoadsNothingFromOutside(out);
        ReportChecks.assertEmbedsTheChartsBesideIt(html, out, JobReport.SCORES_PNG);
        ReportChecks.assertAPicture(out.resolve(JobReport.SCORES_PNG), 100);

        Matcher board = Pattern.compile("<table class=\"leaderboard\">\n<tr>(.*?)</tr>\n(.*?)</table>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(board.find(), "a leaderboard table: " + html.replaceAll("base64,[^\"]+", ""));
        List<String> columns = List.of(text.get(0).strip().split(" +"));
        assertEquals(columns.stream().map(c -> "<th>" + c + "</th>").collect(Collectors.joining()), board.group(1),
                "leaderboard.txt's columns");
        List<String> lines = board.group(2).lines().toList();
        assertEquals(rows.size(), lines.size(), "a line per point: " + board.group(2));
        Pattern cell = Pattern.compile("<td data-column=\"([^\"]+)\"(?: data-value=\"([^\"]+)\")?>([^<]*)</td>");
        for (int r = 0; r < rows.size(); r++) {
            List<String> shown = List.of(text.get(r + 1).strip().split(" +"));
            Row parquet = rows.get(r);
            Matcher m = cell.matcher(lines.get(r));
            int c = 0;
            while (m.find()) {
                String column = m.group(1);
                assertEquals(columns.get(c), column);
                assertEquals(shown.get(c), m.group(3), "row " + (r + 1) + ", " + column + " as leaderboard.txt shows it");
                Object value = parquet.getAs(column);
                if (value instanceof Double d) {
                    assertEquals(d, Double.parseDouble(m.group(2)), "row " + (r + 1) + ", " + column
                            + ": the full value of leaderboard.parquet");
                } else {
                    assertNull(m.group(2), column + " is a label");
                    assertEquals(value.toString(), m.group(3), "row " + (r + 1) + ", " + column);
                }
                c++;
            }
            assertEquals(columns.size(), c, "every column in row " + (r + 1) + ": " + lines.get(r));
        }
        return html;
    }

    private Path reviews(String name, int n, int shift) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean positive = i % 2 == 0;
            String word = (positive ? GOOD : BAD)[(i / 2 + shift) % 4];
            lines.add((positive ? "pos" : "neg") + "\tthe film was " + word + (i % 3 == 0 ? " and the plot " + word : ""));
        }
        return Files.write(dir.resolve(name), lines);
    }
}
