package org.sparkformer.notebook;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One JShell for the class (starting one with the project's class path takes seconds), cells evaluated in order. */
class CellEvaluatorTest {

    private static CellEvaluator cells;

    @BeforeAll
    static void start() {
        System.setProperty("java.awt.headless", "true");
        cells = new CellEvaluator();
    }

    @AfterAll
    static void stop() {
        cells.close();
    }

    @Test
    void aCellsValueIsItsLastExpressionAndDeclarationsCarryOverToLaterCells() {
        assertSame(CellEvaluator.NO_VALUE, cells.eval("int base = 20;\nString word = \"ab\";"));
        assertEquals(42, cells.eval("int twice(int x) { return 2 * x; }\ntwice(base + 1)"));
        assertEquals("abab", cells.eval("word.repeat(2)"));
        assertEquals("abab", cells.eval("var kept = word + word;\nkept"));
        assertSame(CellEvaluator.NO_VALUE, cells.eval("System.out.println(kept);"));
        assertSame(CellEvaluator.NO_VALUE, cells.eval("System.out.printf(\"%d%n\", base);"),
                "an expression closed by a semicolon is a statement");
        assertEquals(40, cells.eval("base * 2 // twice"));
        assertSame(CellEvaluator.NO_VALUE, cells.eval("base * 2; // twice"));
    }

    @Test
    void aCellThatThrowsRaisesTheExceptionsClassAndMessageAndTheNextCellStillRuns() {
        CellException e = assertThrows(CellException.class,
                () -> cells.eval("int ok = 1;\nthrow new IllegalStateException(\"no such corpus: x.txt\");"));
        assertEquals("java.lang.IllegalStateException", e.errorName());
        assertTrue(e.getMessage().contains("no such corpus: x.txt"), e.getMessage());
        assertEquals(1, cells.eval("ok"), "the snippets before the failing one stay defined");
        assertEquals(7, cells.eval("3 + 4"));
    }

    @Test
    void aCellThatDoesNotCompileNamesTheLineAndTheProblem() {
        CellException e = assertThrows(CellException.class, () -> cells.eval("int a = 1;\nint b = a + undefinedThing;"));
        assertEquals("CompileError", e.errorName());
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
        assertTrue(e.getMessage().contains("undefinedThing"), e.getMessage());
        CellException incomplete = assertThrows(CellException.class, () -> cells.eval("for (int i = 0; i < 3; i++) {"));
        assertEquals("IncompleteCell", incomplete.errorName());
        assertEquals(5, cells.eval("2 + 3"));
    }

    @Test
    void aDataFrameDisplaysAsAnHtmlTableOfItsFirstRowsWithTheRowCount() {
        Object value = cells.eval("spark().range(0, 25).selectExpr(\"id\", \"concat('<w', id, '>') as word\")");
        assertTrue(value instanceof Dataset<?>, String.valueOf(value));
        DisplayData shown = Displays.render(value);
        String html = (String) shown.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<th>id</th><th>word</th>"), html);
        assertTrue(html.contains("<tr><td>0</td><td>&lt;w0&gt;</td></tr>"), html);
        assertTrue(html.contains("<td>19</td>") && !html.contains("<td>20</td>"), "the first 20 rows only: " + html);
        assertTrue(html.contains("showing the first 20 of 25 rows"), html);
        @SuppressWarnings("unchecked")
        Dataset<Row> small = (Dataset<Row>) cells.eval("spark().range(0, 2).toDF(\"n\")");
        assertTrue(((String) Displays.render(small).getData(MIMEType.TEXT_HTML)).contains("<p>2 rows</p>"));
    }

    @Test
    void aChartDisplaysAsAnInlinePngAndOtherValuesThroughToString() throws Exception {
        Object chart = cells.eval("""
                var history = spark().range(1, 6).selectExpr("id as round", "1.0 / id as loss");
                lineChart("loss", history, "round", "loss")
                """);
        assertTrue(chart instanceof JFreeChart, String.valueOf(chart));
        String png = (String) Displays.render(chart).getData(MIMEType.IMAGE_PNG);
        assertNotNull(png);
        BufferedImage image = Displays.decode(Base64.getDecoder().decode(png));
        assertEquals(Displays.CHART_WIDTH, image.getWidth());
        assertEquals(Displays.CHART_HEIGHT, image.getHeight());
        assertEquals("[1, 2]", Displays.render(cells.eval("List.of(1, 2)")).getData(MIMEType.TEXT_PLAIN));
        assertNull(Displays.render(CellEvaluator.NO_VALUE));
    }

    @Test
    void sparkClosuresDeclaredInACellRunOnTheExecutors() {
        Object sum = cells.eval("""
                record Doubler(int by) implements java.io.Serializable { }
                var by = new Doubler(2);
                spark().range(1, 4).toJavaRDD().map(i -> i * by.by()).reduce(Long::sum)
                """);
        assertEquals(12L, sum);
    }
}
