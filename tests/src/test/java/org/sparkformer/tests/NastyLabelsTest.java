package org.sparkformer.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.KernelSettings;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels with quotes, commas, backslashes, braces, markup, runs of spaces and non-ASCII letters come back as they went in
 * from every file the project writes with them: labels.json in the model directory, the predictions in JSON Lines, CSV
 * (RFC 4180) and Parquet, and the evaluation's metrics.json and report.html (HTML-escaped). Labels that a file cannot keep apart are refused with one
 * clear line: a control character (tab, line break) when fine-tuning finds it, before the first round; a tag with a
 * space when a tagger's predictions are to be written as CSV, which joins a sentence's tags with spaces.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(3)
class NastyLabelsTest {

    private static final List<String> NASTY = List.of("say \"hi\"", "a,b", "two  spaces", "back\\slash", "{\"k\": [1]}",
            "naïve ✓", "semi;colon|pipe", "p=q", "<i>x</i> & 'y'");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void labelsWithQuotesCommasAndSpacesRoundTripThroughTheModelThePredictionsAndTheMetrics() throws Exception {
        TestBed.spark();
        Path model = tmp.resolve("model");
        save(classifier(NASTY), model);
        assertEquals(NASTY, TrainedModel.load(localFs(), hadoop(model)).labels(), "labels.json");

        List<String> texts = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < NASTY.size() * 2; i++) {
            String text = "w1 w2, \"quoted\" w3; line " + i + (i % 3 == 0 ? "\nsecond line" : "");
            texts.add(text);
            input.append(JSON.writeValueAsString(Map.of("text", text, "label", NASTY.get(i % NASTY.size())))).append('\n');
        }
        Path in = Files.writeString(tmp.resolve("in.jsonl"), input);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), in.toString());

        for (String format : List.of("jsonl", "csv", "parquet")) {
            Path out = tmp.resolve("predict-" + format);
            TestBed.CliRun run = TestBed.cli(concat(scoring("predict", config, model, in, out), "--labelled",
                    "--output-format", format));
            assertEquals(0, run.exitCode(), format + ": " + run.stderr());

            List<Prediction> predictions = switch (format) {
                case "jsonl" -> jsonLines(out.resolve("predictions"));
                case "csv" -> csv(out.resolve("predictions"));
                default -> parquet(out.resolve("predictions"));
            };
            assertEquals(texts.size(), predictions.size(), format);
            for (Prediction p : predictions) {
                int line = Integer.parseInt(p.source().substring(p.source().lastIndexOf(':') + 1));
                assertEquals(texts.get(line - 1), p.text(), format + " text of line " + line);
                assertEquals(NASTY.get((line - 1) % NASTY.size()), p.label(), format + " label of line " + line);
                assertTrue(NASTY.contains(p.prediction()), format + " prediction " + p.prediction());
                assertEquals(sorted(NASTY), sorted(p.probabilityLabels()), format + " probability labels");
            }
        }

        Path evaluation = tmp.resolve("evaluate");
        TestBed.CliRun run = TestBed.cli(scoring("evaluate", config, model, in, evaluation));
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode metrics = JSON.readTree(evaluation.resolve("metrics.json").toFile());
        assertEquals(NASTY, names(metrics.findValue("perClass")), "metrics.json perClass");
        JsonNode confusion = metrics.findValue("confusionMatrix");
        assertEquals(NASTY, names(confusion), "metrics.json confusionMatrix");
        for (String gold : NASTY) {
            assertEquals(NASTY, names(confusion.get(gold)), "confusionMatrix row " + gold);
        }
        String html = Files.readString(evaluation.resolve("report.html"));
        String perClass = html.substring(html.indexOf("<table class=\"per-class\">"));
        perClass = perClass.substring(0, perClass.indexOf("</table>"));
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<tr><th>([^<]*)</th><td").matcher(perClass);
        while (m.find()) {
            rows.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"));
        }
        assertEquals(NASTY, rows, "report.html per-class table, labels HTML-escaped");
        assertFalse(html.contains("<i>x</i>"), "no label markup reaches the page");
    }

    @Test
    void aLabelWithALineBreakOrATabIsRefusedNamingItBeforeTheFirstRound() throws Exception {
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String label = i % 2 == 0 ? "north" : "south\twind";
            train.append(JSON.writeValueAsString(Map.of("text", "cold wind day " + i, "label", label))).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("train.jsonl"), train);
        Path checkpoints = tmp.resolve("checkpoints");

        Exception e = assertThrows(IllegalArgumentException.class, () -> new FineTuner(TestBed.spark(),
                TestBed.tinyConfig(null, "data.trainPath=" + file, "data.format=jsonl", "data.textColumn=text",
                        "data.labelColumn=label", "training.epochs=1"))
                .setCheckpoints(new CheckpointSettings(localFs(), hadoop(checkpoints), false)).fit());

        assertEquals(file + ": label holds the control character U+0009: \"south\\u0009wind\"; a model's labels cannot"
                + " hold it (see docs/model-directory.md)", e.getMessage());
        assertFalse(Files.exists(checkpoints), "no round ran");
    }

    @Test
    void aTagWithASpaceIsRefusedForCsvWhichJoinsTagsWithSpacesAndKeptInJsonLines() throws Exception {
        TestBed.spark();
        Path model = tmp.resolve("tagger");
        save(tagger(List.of("O", "B PER")), model);
        Path in = Files.writeString(tmp.resolve("in.conll"), "w1\tO\nw2\tO\n\nw3\tO\n");
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), in.toString());

        TestBed.CliRun csv = TestBed.cli("predict", "--config", config.toString(), "--model", model.toString(), "--input",
                in.toString(), "--output", tmp.resolve("csv").toString(), "--set", "data.format=conll", "--set", "data.task=token", "--output-format",
                "csv");

        assertEquals(1, csv.exitCode(), csv.stderr());
        assertEquals("sparkformer predict failed: tag \"B PER\" holds whitespace, and CSV joins a sentence's tags with"
                + " spaces; write the predictions as jsonl or parquet instead", csv.stderr().strip());
        assertFalse(Files.exists(tmp.resolve("csv/predictions")), "nothing written");

        TestBed.CliRun jsonl = TestBed.cli("predict", "--config", config.toString(), "--model", model.toString(), "--input",
                in.toString(), "--output", tmp.resolve("jsonl").toString(), "--set", "data.format=conll", "--set",
                "data.task=token", "--output-format", "jsonl");

        assertEquals(0, jsonl.exitCode(), jsonl.stderr());
        for (Path part : parts(tmp.resolve("jsonl/predictions"), ".json")) {
            for (String line : Files.readAllLines(part)) {
                JsonNode row = JSON.readTree(line);
                for (JsonNode word : row.get("probabilities")) {
                    assertEquals(List.of("O", "B PER"), names(word), line);
                }
            }
        }
    }

    // ------------------------------------------------------------------ readers of what was written

    /** One prediction row: where it came from, its text, gold label, predicted label and the labels it scored. */
    private record Prediction(String source, String text, String label, String prediction, List<String> probabilityLabels) {
    }

    /** Every line of the JSON Lines part files, each parsed as one JSON object. */
    private static List<Prediction> jsonLines(Path dir) throws IOException {
        List<Prediction> out = new ArrayList<>();
        for (Path part : parts(dir, ".json")) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                JsonNode row = JSON.readTree(line);
                out.add(new Prediction(row.get("source").asText(), row.get("text").asText(),
                        row.path("label").asText(null), row.get("prediction").asText(), names(row.get("probabilities"))));
            }
        }
        return out;
    }

    /** The CSV part files parsed as RFC 4180 (quotes doubled, spaces kept), the header naming the columns. */
    private static List<Prediction> csv(Path dir) throws IOException {
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setLineSeparator("\n");
        settings.getFormat().setQuote('"');
        settings.getFormat().setQuoteEscape('"');
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setNullValue("");
        List<Prediction> out = new ArrayList<>();
        for (Path part : parts(dir, ".csv")) {
            List<String[]> rows = new CsvParser(settings).parseAll(new StringReader(Files.readString(part)));
            List<String> header = List.of(rows.get(0));
            List<String> probabilityLabels = header.stream().filter(h -> h.startsWith("p_")).map(h -> h.substring(2)).toList();
            assertEquals(List.of("source", "text", "label", "prediction"), header.subList(0, 4), "CSV header");
            for (String[] row : rows.subList(1, rows.size())) {
                assertEquals(header.size(), row.length, "fields of " + List.of(row));
                out.add(new Prediction(row[0], row[1], row[2], row[3], probabilityLabels));
            }
        }
        return out;
    }

    private static List<Prediction> parquet(Path dir) {
        List<Prediction> out = new ArrayList<>();
        for (Row row : TestBed.spark().read().parquet(dir.toString()).collectAsList()) {
            Map<String, Double> p = row.getJavaMap(row.fieldIndex("probabilities"));
            out.add(new Prediction(row.getAs("source"), row.getAs("text"), row.getAs("label"), row.getAs("prediction"),
                    new ArrayList<>(p.keySet())));
        }
        return out;
    }

    private static List<String> sorted(List<String> labels) {
        return labels.stream().sorted().toList();
    }

    private static List<Path> parts(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> parts = files.filter(f -> f.getFileName().toString().startsWith("part-")
                    && f.getFileName().toString().endsWith(suffix)).sorted().toList();
            assertFalse(parts.isEmpty(), "no " + suffix + " part files in " + dir);
            return parts;
        }
    }

    /** The field names of a JSON object, in order. */
    private static List<String> names(JsonNode object) {
        assertTrue(object != null && object.isObject(), "a JSON object: " + object);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(names.size(), new HashSet<>(names).size(), "no duplicate names: " + names);
        return names;
    }

    // ------------------------------------------------------------------ set-up

    /** An untrained tiny sequence classifier with these labels. */
    private static TrainedModel classifier(List<String> labels) {
        return untrained(Task.SEQUENCE_CLASSIFICATION, labels);
    }

    /** An untrained tiny tagger with these tags. */
    private static TrainedModel tagger(List<String> tags) {
        return untrained(Task.TOKEN_CLASSIFICATION, tags);
    }

    private static TrainedModel untrained(Task task, List<String> labels) {
        TransformerConfig config = KernelSettings.model(TestBed.tinyConfig(null).model(), TestBed.VOCABULARY.size(),
                task, labels.size());
        return new TrainedModel(config, new TokenizerSettings(true, true, 24), TestBed.VOCABULARY, labels,
                new TransformerModel(config).parametersAsFloats());
    }

    private static void save(TrainedModel model, Path dir) throws IOException {
        model.save(localFs(), hadoop(dir), new TreeMap<>(Map.of("train.loss", 1.0)), new Provenance("test", "4.0.1",
                "1.0.0-M2.1", "17", "finetune", "{}", "none", "2026-01-01T00:00:00Z"), null, false);
        assertTrue(Files.exists(dir.resolve(ModelDirectory.LABELS)));
    }

    private static String[] scoring(String command, Path config, Path model, Path input, Path output) {
        return new String[] {command, "--config", config.toString(), "--model", model.toString(), "--input",
                input.toString(), "--output", output.toString(), "--set", "data.format=jsonl", "--set",
                "data.textColumn=text", "--set", "data.labelColumn=label"};
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static FileSystem localFs() throws IOException {
        return FileSystem.getLocal(TestBed.localConf());
    }

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toString());
    }
}
