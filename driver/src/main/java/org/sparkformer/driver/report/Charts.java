package org.sparkformer.driver.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.sparkformer.driver.executor.ConfusionMatrix;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.Arrays;
import java.util.List;

/**
 * The report's charts as PNG images, drawn with JFreeChart on the driver, headless (no display is needed: the
 * {@code java.awt.headless} property is set to true unless the JVM was started with it).
 */
final class Charts {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color LINE = new Color(0x2f, 0x6d, 0xb5);
    private static final Color FOLD = new Color(0xe0, 0x7b, 0x20);
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;

    private Charts() {
    }

    /**
     * A line over rounds.
     *
     * @param markers draw a marker at every point (for sparse series such as validation measurements)
     * @param scientific label the value axis in scientific notation (learning rates)
     */
    static byte[] line(String title, String yLabel, double[] rounds, double[] values, boolean markers, boolean scientific) {
        XYSeries series = new XYSeries(yLabel, false, true);
        for (int i = 0; i < rounds.length; i++) {
            if (Double.isFinite(values[i])) {
                series.add(rounds[i], values[i]);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "round", yLabel, new XYSeriesCollection(series),
                PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        style(chart, plot);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
        renderer.setSeriesPaint(0, LINE);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        plot.setRenderer(renderer);
        NumberAxis domain = (NumberAxis) plot.getDomainAxis();
        domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(false);
        if (scientific) {
            range.setNumberFormatOverride(new DecimalFormat("0.0##E0"));
        }
        return png(chart, WIDTH, HEIGHT);
    }

    /**
     * Each point's score over the points in grid order: a marker at the score with, when the points were
     * cross-validated, an error bar of one standard deviation either side of the mean and each fold's score as a
     * hollow marker to its right.
     *
     * @param stds  the folds' standard deviations (NaN: no error bar)
     * @param folds each point's fold scores (empty without folds)
     */
    static byte[] scores(String title, String yLabel, int[] points, double[] scores, double[] stds, double[][] folds) {
        boolean crossValidated = Arrays.stream(folds).anyMatch(f -> f.length > 0);
        YIntervalSeries means = new YIntervalSeries(crossValidated ? "mean over the folds \u00b1 one standard deviation"
                : yLabel);
        XYSeries each = new XYSeries("each fold", false, true);
        for (int i = 0; i < points.length; i++) {
            if (Double.isFinite(scores[i])) {
                double spread = Double.isFinite(stds[i]) ? stds[i] : 0;
                means.add(points[i], scores[i], scores[i] - spread, scores[i] + spread);
            }
            for (int f = 0; f < folds[i].length; f++) {
                if (Double.isFinite(folds[i][f])) {
                    each.add(points[i] + 0.08 + 0.24 * (f + 1) / folds[i].length, folds[i][f]);
                }
            }
        }
        YIntervalSeriesCollection intervals = new YIntervalSeriesCollection();
        intervals.addSeries(means);
        JFreeChart chart = ChartFactory.createScatterPlot(title, "point (as numbered in the leaderboard)", yLabel,
                intervals, PlotOrientation.VERTICAL, crossValidated, false, false);
        XYPlot plot = chart.getXYPlot();
        style(chart, plot);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setErrorPaint(LINE);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        renderer.setCapLength(8);
        renderer.setSeriesPaint(0, LINE);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
        plot.setRenderer(0, renderer);
        if (crossValidated) {
            XYLineAndShapeRenderer hollow = new XYLineAndShapeRenderer(false, true);
            hollow.setSeriesPaint(0, FOLD);
            hollow.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
            hollow.setUseFillPaint(true);
            hollow.setSeriesFillPaint(0, Color.WHITE);
            hollow.setDrawOutlines(true);
            hollow.setUseOutlinePaint(false);
            plot.setDataset(1, new XYSeriesCollection(each));
            plot.setRenderer(1, hollow);
        }
        NumberAxis domain = (NumberAxis) plot.getDomainAxis();
        domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        int last = Arrays.stream(points).max().orElse(1);
        domain.setRange(0.5, last + 0.5);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(false);
        return png(chart, WIDTH, HEIGHT);
    }

    /**
     * The confusion matrix as a heat map: gold labels down, predictions across, each cell shaded by its share of the
     * gold label's examples and, for up to 30 labels, marked with its count.
     */
    static byte[] confusionMatrix(List<String> labels, ConfusionMatrix matrix) {
        int n = labels.size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] shares = new double[n * n];
        for (int g = 0; g < n; g++) {
            long support = matrix.support(g);
            for (int p = 0; p < n; p++) {
                int i = g * n + p;
                xs[i] = p;
                ys[i] = g;
                shares[i] = support == 0 ? 0 : (double) matrix.count(g, p) / support;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of the gold label", new double[][] {xs, ys, shares});
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new Shades());
        String[] names = labels.toArray(String[]::new);
        SymbolAxis predicted = new SymbolAxis("predicted", names);
        predicted.setGridBandsVisible(false);
        predicted.setVerticalTickLabels(n > 6);
        SymbolAxis gold = new SymbolAxis("gold", names);
        gold.setGridBandsVisible(false);
        gold.setInverted(true);
        XYPlot plot = new XYPlot(data, predicted, gold, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        if (n <= 30) {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n <= 10 ? 13 : 10);
            for (int i = 0; i < xs.length; i++) {
                long count = matrix.count((int) ys[i], (int) xs[i]);
                XYTextAnnotation a = new XYTextAnnotation(Long.toString(count), xs[i], ys[i]);
                a.setFont(font);
                a.setPaint(shares[i] > 0.55 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(a);
            }
        }
        JFreeChart chart = new JFreeChart("Confusion matrix", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        int side = Math.min(1600, Math.max(420, 160 + 26 * n));
        return png(chart, side + 40, side);
    }

    private static void style(JFreeChart chart, XYPlot plot) {
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setOutlineVisible(false);
    }

    private static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the chart " + chart.getTitle().getText() + " as PNG", e);
        }
        return out.toByteArray();
    }

    /** White (share 0) to dark blue (share 1). */
    private static final class Shades implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double share) {
            double s = Math.max(0, Math.min(1, Double.isFinite(share) ? share : 0));
            return new Color((int) Math.round(255 - s * (255 - 0x1f)), (int) Math.round(255 - s * (255 - 0x4e)),
                    (int) Math.round(255 - s * (255 - 0x8c)));
        }
    }
}
