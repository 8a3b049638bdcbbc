package org.sparkformer.notebook;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jfree.chart.JFreeChart;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * What a notebook shows for a value: a {@code Dataset} as an HTML table of its first rows with its row count (and
 * the same as plain text), a JFreeChart chart or an image as an inline PNG, anything else through {@code toString}.
 */
public final class Displays {

    /** Rows a DataFrame shows. */
    public static final int TABLE_ROWS = 20;
    /** Characters of a cell value shown in a table; longer values end in "...". */
    static final int CELL_CHARS = 120;
    public static final int CHART_WIDTH = 640;
    public static final int CHART_HEIGHT = 360;

    private Displays() {
    }

    /** The display of {@code value}; null for a cell without a value. */
    public static DisplayData render(Object value) {
        if (value == CellEvaluator.NO_VALUE) {
            return null;
        }
        if (value instanceof DisplayData d) {
            return d;
        }
        if (value instanceof Dataset<?> ds) {
            return table(ds, TABLE_ROWS);
        }
        if (value instanceof JFreeChart chart) {
            return png(chart.createBufferedImage(CHART_WIDTH, CHART_HEIGHT), chart.getTitle() == null ? "chart"
                    : chart.getTitle().getText());
        }
        if (value instanceof RenderedImage image) {
            return png(image, "image");
        }
        DisplayData d = new DisplayData();
        d.putText(String.valueOf(value));
        return d;
    }

    /** The first {@code rows} rows of {@code ds} as an HTML table (and plain text), with the row count below. */
    public static DisplayData table(Dataset<?> ds, int rows) {
        Dataset<Row> df = ds.toDF();
        String[] columns = df.columns();
        List<Row> first = df.limit(rows).collectAsList();
        long count = df.count();
        StringBuilder html = new StringBuilder("<table class=\"sparkformer-dataframe\">\n<thead><tr>");
        for (String c : columns) {
            html.append("<th>").append(escape(c)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        StringBuilder text = new StringBuilder(String.join(" | ", columns)).append('\n');
        for (Row row : first) {
            html.append("<tr>");
            String[] cells = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cells[i] = cell(row.get(i));
                html.append("<td>").append(escape(cells[i])).append("</td>");
            }
            html.append("</tr>\n");
            text.append(String.join(" | ", cells)).append('\n');
        }
        String shown = count > first.size() ? "showing the first " + first.size() + " of " + count + " rows"
                : count + (count == 1 ? " row" : " rows");
        html.append("</tbody>\n</table>\n<p>").append(shown).append("</p>");
        text.append('(').append(shown).append(')');
        DisplayData d = new DisplayData();
        d.putText(text.toString());
        d.putHTML(html.toString());
        return d;
    }

    /** {@code image} as an inline PNG; the plain-text alternative names it. */
    public static DisplayData png(RenderedImage image, String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + name + " as PNG", e);
        }
        return png(bytes.toByteArray(), name, image.getWidth(), image.getHeight());
    }

    /** PNG bytes as an inline image. */
    public static DisplayData png(byte[] png, String name, int width, int height) {
        DisplayData d = new DisplayData();
        d.putText("<" + name + ": " + width + "x" + height + " PNG>");
        d.putData("image/png", Base64.getEncoder().encodeToString(png));
        return d;
    }

    /** The text of a table cell: arrays and Scala sequences as [a, b], long values shortened. */
    static String cell(Object v) {
        String s;
        if (v == null) {
            s = "null";
        } else if (v instanceof scala.collection.Iterable<?> seq) {
            s = seq.mkString("[", ", ", "]");
        } else if (v instanceof Object[] array) {
            s = java.util.Arrays.toString(array);
        } else if (v instanceof Row nested) {
            s = nested.mkString("{", ", ", "}");
        } else {
            s = String.valueOf(v);
        }
        return s.length() > CELL_CHARS ? s.substring(0, CELL_CHARS - 3) + "..." : s;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new java.io.ByteArrayInputStream(png));
    }
}
