package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.ConfigGrid;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.modeldir.DataFingerprint;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.storage.RenamedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code sparkformer tune}: one fine-tuning run per point of the grid (option {@value #GRID_OPTION}), each scored by
 * its best validation accuracy on data.validationPath, into {@code <output>/leaderboard.parquet} and
 * {@code leaderboard.txt} (best first; ties keep grid order) and the best point's model in {@code <output>/model},
 * its provenance holding that point's whole configuration.
 */
public final class TuneJob implements Job {

    /** Job option: the grid's YAML text. */
    public static final String GRID_OPTION = "grid";
    /** Job option: where the grid came from, for messages. */
    public static final String GRID_NAME_OPTION = "gridName";
    public static final String LEADERBOARD_PARQUET = "leaderboard.parquet";
    public static final String LEADERBOARD_TEXT = "leaderboard.txt";
    private static final String SCORE = "validation.accuracy";
    private static final Logger LOG = LoggerFactory.getLogger(TuneJob.class);

    @Override
    public String name() {
        return "tune";
    }

    /** One point's outcome. */
    record Trial(int number, List<String> values, double score, double trainLoss, double seconds) {
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobRequest request = context.request();
        ConfigGrid grid = ConfigGrid.parse(request.option(GRID_OPTION, ""), request.option(GRID_NAME_OPTION, "the grid"));
        List<SparkformerConfig> configs = grid.configs(request.configYaml());
        List<List<String>> points = grid.points();
        TrainedModel pretrained = null;
        String pretrainedSource = null;
        if (request.model() != null) {
            Path dir = new Path(request.model());
            FileSystem fs = dir.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
            pretrained = TrainedModel.load(fs, dir);
            pretrainedSource = fs.makeQualified(dir).toString();
        }
        List<Trial> trials = new ArrayList<>();
        FineTuneResult best = null;
        int bestIndex = -1;
        for (int i = 0; i < configs.size(); i++) {
            LOG.info("tune: point {}/{}: {}", i + 1, configs.size(), String.join(", ", points.get(i)));
            long start = System.nanoTime();
            FineTuner tuner = new FineTuner(context.spark(), configs.get(i));
            if (pretrained != null) {
                tuner.setPretrained(pretrained, pretrainedSource);
            }
            FineTuneResult result = tuner.fit();
            Double score = result.metrics().get(SCORE);
            if (score == null) {
                throw new IllegalStateException("point " + String.join(", ", points.get(i)) + " has no " + SCORE);
            }
            List<String> values = points.get(i).stream().map(p -> p.substring(p.indexOf('=') + 1)).toList();
            trials.add(new Trial(i + 1, values, score, result.metrics().getOrDefault("train.loss", Double.NaN),
                    (System.nanoTime() - start) / 1e9));
            LOG.info("tune: point {}/{}: {} {}", i + 1, configs.size(), SCORE, String.format(Locale.ROOT, "%.4f", score));
            if (best == null || score > best.metrics().get(SCORE)) {
                best = result;
                bestIndex = i;
            }
        }
        List<Trial> ranked = trials.stream().sorted(Comparator.comparingDouble(Trial::score).reversed()
                .thenComparingInt(Trial::number)).toList();
        writeParquet(context, grid, ranked);
        String table = table(grid, ranked);
        RenamedFile.write(context.outputFs(), new Path(context.output(), LEADERBOARD_TEXT),
                table.getBytes(StandardCharsets.UTF_8));
        if (Boolean.parseBoolean(request.option("print", "true"))) {
            System.out.print(table);
        }
        SparkformerConfig chosen = configs.get(bestIndex);
        DataSection data = chosen.data();
        String yaml = ConfigYaml.toYaml(chosen);
        String fingerprint = DataFingerprint.ofPaths(context.spark().sparkContext().hadoopConfiguration(),
                data.trainPath(), data.validationPath());
        Path model = new Path(context.output(), JobOutputs.MODEL);
        best.model().saveHoldingLock(context.outputFs(), model, best.metrics(), Provenance.now(name(), yaml, fingerprint),
                null, false);
        LOG.info("tune: best of {} points: {} ({} {}), model written to {}", configs.size(),
                String.join(", ", points.get(bestIndex)), SCORE, String.format(Locale.ROOT, "%.4f",
                        best.metrics().get(SCORE)), model);
    }

    private static void writeParquet(JobContext context, ConfigGrid grid, List<Trial> ranked) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("rank", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("point", DataTypes.IntegerType, false));
        for (String key : grid.keys()) {
            fields.add(DataTypes.createStructField(key, DataTypes.StringType, false));
        }
        fields.add(DataTypes.createStructField(SCORE, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("train.loss", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("seconds", DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ranked.size(); r++) {
            Trial t = ranked.get(r);
            List<Object> values = new ArrayList<>();
            values.add(r + 1);
            values.add(t.number());
            values.addAll(t.values());
            values.add(t.score());
            values.add(t.trainLoss());
            values.add(t.seconds());
            rows.add(RowFactory.create(values.toArray()));
        }
        context.spark().createDataFrame(rows, new StructType(fields.toArray(StructField[]::new))).coalesce(1).write()
                .mode(SaveMode.ErrorIfExists).parquet(new Path(context.output(), LEADERBOARD_PARQUET).toString());
    }

    /** The leaderboard as an aligned text table, best first. */
    static String table(ConfigGrid grid, List<Trial> ranked) {
        List<String> header = new ArrayList<>(List.of("rank", "point"));
        header.addAll(grid.keys());
        header.addAll(List.of(SCORE, "train.loss", "seconds"));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (int r = 0; r < ranked.size(); r++) {
            Trial t = ranked.get(r);
            List<String> line = new ArrayList<>(List.of(Integer.toString(r + 1), Integer.toString(t.number())));
            line.addAll(t.values());
            line.add(String.format(Locale.ROOT, "%.4f", t.score()));
            line.add(String.format(Locale.ROOT, "%.4f", t.trainLoss()));
            line.add(String.format(Locale.ROOT, "%.1f", t.seconds()));
            lines.add(line);
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
