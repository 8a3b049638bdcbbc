package org.sparkformer.notebook;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.sparkformer.driver.averaging.RoundTransport;
import org.sparkformer.driver.jobs.ExecutorLanes;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The helpers every cell sees (statically imported): the Spark session, explicit display, charts of a DataFrame's
 * columns, PNG files, and where a notebook writes its outputs.
 */
public final class Notebook {

    /** Environment variable: the directory under which {@link #outputDir} puts each notebook's outputs. */
    public static final String OUTPUT_ENV = "SPARKFORMER_NOTEBOOK_OUTPUT";
    /** Master when neither spark.master (a -D option of the kernel) nor spark-defaults set one. */
    public static final String DEFAULT_MASTER = "local[2]";

    private static SparkSession session;

    private Notebook() {
    }

    /**
     * The notebook's Spark session, created on first use: {@code spark.master} when the kernel was started with it
     * (e.g. {@code -Dspark.master=spark://host:7077} in SPARKFORMER_NOTEBOOK_JAVA_OPTS), else {@value #DEFAULT_MASTER};
     * with the settings Sparkformer's rounds need, as the command line's jobs set them.
     */
    public static synchronized SparkSession spark() {
        if (session == null || session.sparkContext().isStopped()) {
            SparkConf given = new SparkConf();
            SparkSession.Builder builder = SparkSession.builder().appName("sparkformer notebook");
            if (!given.contains("spark.master")) {
                builder.master(DEFAULT_MASTER);
            }
            if (!given.contains("spark.ui.showConsoleProgress")) {
                builder.config("spark.ui.showConsoleProgress", "false");
            }
            RoundTransport.missingFrom(given).forEach(builder::config);
            String executorOptions = ExecutorLanes.from(given);
            if (executorOptions != null) {
                builder.config("spark.executor.extraJavaOptions", executorOptions);
            }
            session = builder.getOrCreate();
        }
        return session;
    }

    /** Shows {@code value} now, in the running cell's output (as a cell's value would be shown). */
    public static void display(Object value) {
        DisplayData data = Displays.render(value);
        if (data == null) {
            return;
        }
        BaseKernel kernel = runningKernel();
        if (kernel != null && kernel.getIO().display.isAttached()) {
            kernel.display(data);
        } else {
            System.out.println(data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        }
    }

    /** The first {@code rows} rows of a DataFrame (and its count), for more or fewer than the default. */
    public static DisplayData table(Dataset<?> ds, int rows) {
        return Displays.table(ds, rows);
    }

    /** A PNG file (e.g. a job's confusion-matrix.png) as an inline image. */
    public static DisplayData image(String path) throws IOException {
        byte[] png = Files.readAllBytes(Path.of(path));
        BufferedImage image = ImageIO.read(new File(path));
        if (image == null) {
            throw new IOException(path + " is not an image");
        }
        return Displays.png(png, Path.of(path).getFileName().toString(), image.getWidth(), image.getHeight());
    }

    /** A line chart of numeric columns {@code ys} against column {@code x} (e.g. a training history's loss by round). */
    public static JFreeChart lineChart(String title, Dataset<Row> df, String x, String... ys) {
        List<Row> rows = df.select(x, ys).collectAsList();
        XYSeriesCollection series = new XYSeriesCollection();
        for (int i = 0; i < ys.length; i++) {
            XYSeries s = new XYSeries(ys[i]);
            for (Row row : rows) {
                if (!row.isNullAt(0) && !row.isNullAt(i + 1)) {
                    s.add(((Number) row.get(0)).doubleValue(), ((Number) row.get(i + 1)).doubleValue());
                }
            }
            series.addSeries(s);
        }
        return ChartFactory.createXYLineChart(title, x, ys.length == 1 ? ys[0] : "", series, PlotOrientation.VERTICAL,
                ys.length > 1, false, false);
    }

    /** A bar chart of numeric column {@code value} by the text of column {@code category} (e.g. a leaderboard). */
    public static JFreeChart barChart(String title, Dataset<Row> df, String category, String value) {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        for (Row row : df.select(category, value).collectAsList()) {
            bars.addValue(((Number) row.get(1)).doubleValue(), value, String.valueOf(row.get(0)));
        }
        return ChartFactory.createBarChart(title, category, value, bars, PlotOrientation.VERTICAL, false, false, false);
    }

    /**
     * A fresh directory for a notebook's outputs: {@code $SPARKFORMER_NOTEBOOK_OUTPUT/<name>} when that is set, else
     * {@code output/notebooks/<name>} under the working directory. What an earlier run left there is removed.
     */
    public static String outputDir(String name) throws IOException {
        String base = System.getenv(OUTPUT_ENV);
        Path dir = (base == null || base.isBlank() ? Path.of("output", "notebooks") : Path.of(base)).resolve(name)
                .toAbsolutePath();
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return dir.toString();
    }

    private static BaseKernel runningKernel() {
        try {
            return BaseKernel.notebookKernel();
        } catch (NullPointerException e) {
            return null;
        }
    }
}
