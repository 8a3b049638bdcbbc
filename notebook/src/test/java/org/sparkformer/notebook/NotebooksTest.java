package org.sparkformer.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The notebooks of notebooks/: committed with their outputs cleared (every run), and executed headless by nbclient
 * with this module's kernel on the built class path, every cell without error, their printed numbers equal to the
 * metrics.json files the same run wrote (with -Dsparkformer.notebooks=true: it needs Debian's python3-nbclient and
 * takes about 5 minutes on 2 cores; .ci/run installs the packages and runs it).
 */
class NotebooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("sparkformer.repo.root", "..")).toAbsolutePath().normalize();
    private static final Path NOTEBOOKS = ROOT.resolve("notebooks");
    private static final Path RUNNER = ROOT.resolve("notebook/src/test/python/execute_notebooks.py");
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void theNotebooksAreCommittedWithTheirOutputsCleared() throws Exception {
        List<Path> notebooks = notebooks();
        assertTrue(notebooks.size() >= 3, "notebooks/ holds " + notebooks);
        for (Path nb : notebooks) {
            JsonNode root = JSON.readTree(nb.toFile());
            assertEquals(SparkformerKernel.NAME, root.path("metadata").path("kernelspec").path("name").asText(), nb.toString());
            for (JsonNode cell : root.path("cells")) {
                if (cell.path("cell_type").asText().equals("code")) {
                    assertEquals(0, cell.path("outputs").size(), nb + ": a cell with outputs: " + cell.path("source"));
                    assertTrue(cell.path("execution_count").isNull(), nb + ": a cell with an execution count");
                }
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "sparkformer.notebooks", matches = "true")
    void everyNotebookRunsHeadlessAndPrintsTheNumbersItsRunWroteToMetricsJson(@TempDir Path dir) throws Exception {
        Path outputs = Files.createDirectories(dir.resolve("outputs"));
        Path executed = Files.createDirectories(dir.resolve("executed"));
        Path jupyter = dir.resolve("jupyter");
        writeKernelSpec(jupyter.resolve("kernels").resolve(SparkformerKernel.NAME), outputs);

        List<String> command = new ArrayList<>(List.of(PYTHON, RUNNER.toString(), ROOT.toString(), executed.toString()));
        notebooks().forEach(nb -> command.add(nb.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nbclient.log").toFile());
        pb.environment().put("JUPYTER_PATH", jupyter.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", Files.createDirectories(dir.resolve("runtime")).toString());
        pb.environment().put("JUPYTER_PLATFORM_DIRS", "1");
        long start = System.nanoTime();
        Process process = pb.start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the notebooks ran past 20 minutes:\n" + tail(dir.resolve("nbclient.log")));
        }
        String log = tail(dir.resolve("nbclient.log"));
        assertEquals(0, process.exitValue(), "nbclient failed:\n" + log);
        System.out.printf("notebooks executed in %.0f s%n%s%n", (System.nanoTime() - start) / 1e9, log);

        // quick start: the accuracy computed from the predictions is the evaluate job's
        ArrayNode quick = cells(executed.resolve("quickstart.ipynb"));
        assertEquals(metric(outputs.resolve("quickstart/evaluation/metrics.json"), "accuracy"),
                printed(quick, "test accuracy from the predictions: ([0-9.]+)"), 5e-7);
        int failing = cellTagged(quick, "raises-exception");
        JsonNode error = quick.get(failing).path("outputs").get(0);
        assertEquals("error", error.path("output_type").asText(), quick.get(failing).toString());
        assertTrue(error.path("evalue").asText().contains("no-such-file.tsv"), error.toString());
        assertTrue(error.path("traceback").toString().contains("at the cell"), error.toString());
        assertEquals("execute_result", quick.get(failing + 1).path("outputs").get(0).path("output_type").asText(),
                "the cell after the failing one ran: " + quick.get(failing + 1));

        // model selection: the best model's training loss is the one its model directory holds
        ArrayNode selection = cells(executed.resolve("model-selection.ipynb"));
        Path bestModel = outputs.resolve("model-selection/best-classifier/model/metrics.json");
        assertEquals(metric(bestModel, "train.loss"), printed(selection, "train\\.loss of the best model: ([0-9.]+)"), 5e-7);
        assertTrue(text(selection).contains("best setting: lr 3e-03"), "the larger learning rate wins: " + text(selection));

        // token tagging: the evaluate job's token accuracy is the validation accuracy of fine-tuning, above the baseline
        ArrayNode tagging = cells(executed.resolve("token-tagging.ipynb"));
        Path tagMetrics = outputs.resolve("token-tagging/evaluation/metrics.json");
        double accuracy = metric(tagMetrics, "accuracy");
        assertEquals(accuracy, printed(tagging, "validation token accuracy while fine-tuning: ([0-9.]+)"), 5e-7);
        double baseline = JSON.readTree(tagMetrics.toFile()).path("baselines").path("mostFrequentTag").path("accuracy")
                .asDouble();
        assertTrue(accuracy > baseline, "token accuracy " + accuracy + " vs most frequent tag " + baseline);
    }

    /** A kernel spec launching the kernel as scripts/notebook does, on this test's class path. */
    private static void writeKernelSpec(Path spec, Path outputs) throws Exception {
        Files.createDirectories(spec);
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-Xmx3g");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-modules") || arg.startsWith("-Djdk.reflect")
                    || arg.startsWith("-Dio.netty") || arg.startsWith("-Dorg.bytedeco") || arg.startsWith("-Domp")) {
                argv.add(arg);
            }
        }
        argv.add("-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"));
        argv.add("-Djava.awt.headless=true");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(SparkformerKernel.class.getName());
        argv.add("{connection_file}");
        ObjectNode kernel = JSON.createObjectNode();
        kernel.putPOJO("argv", argv);
        kernel.put("display_name", "Sparkformer (Java)");
        kernel.put("language", "java");
        kernel.put("interrupt_mode", "message");
        ObjectNode env = kernel.putObject("env");
        env.put(Notebook.OUTPUT_ENV, outputs.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("OMP_NUM_THREADS", "1");
        JSON.writerWithDefaultPrettyPrinter().writeValue(spec.resolve("kernel.json").toFile(), kernel);
    }

    private static List<Path> notebooks() throws Exception {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    private static ArrayNode cells(Path executed) throws Exception {
        return (ArrayNode) JSON.readTree(executed.toFile()).path("cells");
    }

    private static int cellTagged(ArrayNode cells, String tag) {
        for (int i = 0; i < cells.size(); i++) {
            for (JsonNode t : cells.get(i).path("metadata").path("tags")) {
                if (t.asText().equals(tag)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no cell tagged " + tag);
    }

    /** Everything the cells printed to stdout, in order. */
    private static String text(ArrayNode cells) {
        StringBuilder out = new StringBuilder();
        for (JsonNode cell : cells) {
            for (JsonNode output : cell.path("outputs")) {
                if (output.path("output_type").asText().equals("stream") && output.path("name").asText().equals("stdout")) {
                    JsonNode text = output.path("text");
                    if (text.isArray()) {
                        text.forEach(t -> out.append(t.asText()));
                    } else {
                        out.append(text.asText());
                    }
                }
            }
        }
        return out.toString();
    }

    private static double printed(ArrayNode cells, String regex) {
        String all = text(cells);
        Matcher m = Pattern.compile(regex).matcher(all);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + all);
        return Double.parseDouble(m.group(1));
    }

    private static double metric(Path metricsJson, String key) throws Exception {
        assertTrue(Files.isRegularFile(metricsJson), metricsJson + " was not written");
        JsonNode value = JSON.readTree(metricsJson.toFile()).path(key);
        assertFalse(value.isMissingNode(), metricsJson + " has no " + key);
        return value.asDouble();
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join(File.separator.equals("/") ? "\n" : "\r\n",
                lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
