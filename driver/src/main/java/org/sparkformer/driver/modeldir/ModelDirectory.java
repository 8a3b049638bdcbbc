package org.sparkformer.driver.modeldir;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.checkpoint.CheckpointState;
import org.sparkformer.driver.storage.StagedDirectory;
import org.sparkformer.driver.storage.VerifiedDirectory;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes and reads a model directory:
 * <pre>
 *   config.json                          model configuration (JSON object)
 *   vocab.txt                            one token per line, line number = id
 *   labels.json                          {"labels": ["noun.act", ...]}
 *   model.safetensors                    weights
 *   training_state/optimizer.safetensors optimizer state (optional)
 *   training_state/state.json            round, step, seeds, data cursor (optional)
 *   metrics.json                         {"name": number}
 *   provenance.json                      versions, command, effective configuration, data fingerprint, time
 *   checksums.json                       sha256 + size of every file above
 * </pre>
 * The directory is staged under a temporary name beside the target and renamed into place; an existing
 * target is replaced only when asked, moved aside until its replacement is in place. What an interrupted write
 * left beside the target is cleaned up by the next write. Reading verifies every checksum first, then validates each file
 * against its expected structure; errors name the file.
 */
public final class ModelDirectory {

    public static final String CONFIG = "config.json";
    public static final String VOCAB = "vocab.txt";
    public static final String LABELS = "labels.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String OPTIMIZER = "training_state/optimizer.safetensors";
    public static final String STATE = "training_state/state.json";
    public static final String METRICS = "metrics.json";
    public static final String PROVENANCE = "provenance.json";
    public static final String CHECKSUMS = ChecksumManifest.FILE_NAME;
    /** The string metadata of model.safetensors. */
    public static final Map<String, String> WEIGHTS_METADATA = Map.of("format", "sparkformer");

    private static final long MAX_JSON_BYTES = 16L * 1024 * 1024;
    private static final long MAX_VOCAB_BYTES = 64L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ModelDirectory() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code files} to {@code target}. When {@code target} exists it is replaced if
     * {@code overwrite}, otherwise the write is refused before anything is written.
     */
    public static void write(FileSystem fs, Path target, ModelFiles files, boolean overwrite) throws IOException {
        StagedDirectory.recover(fs, target, fs::exists);
        if (fs.exists(target) && !overwrite) {
            throw new IOException("model directory " + target + " already exists; pass --overwrite to replace it");
        }
        Path parent = target.getParent();
        fs.mkdirs(parent);
        StagedDirectory staged = StagedDirectory.create(fs, parent, "_tmp-" + target.getName());
        try {
            stage(staged, files);
            staged.writeText(CHECKSUMS, staged.manifest().toJson());
            replace(fs, staged, target);
        } catch (IOException | RuntimeException e) {
            staged.discard();
            throw e;
        }
        LOG.info("model written to {}", target);
    }

    private static void stage(StagedDirectory staged, ModelFiles files) throws IOException {
        JsonNode config = parseObject(files.configJson().getBytes(StandardCharsets.UTF_8), CONFIG);
        staged.writeText(CONFIG, JSON.writeValueAsString(config) + "\n");
        validateVocab(files.vocab(), VOCAB);
        staged.writeText(VOCAB, String.join("\n", files.vocab()) + "\n");
        validateLabels(files.labels(), LABELS);
        ObjectNode labels = JSON.createObjectNode();
        files.labels().forEach(labels.putArray("labels")::add);
        staged.writeText(LABELS, JSON.writeValueAsString(labels) + "\n");
        staged.write(WEIGHTS, out -> SafeTensors.write(out, files.weights(), WEIGHTS_METADATA));
        if (files.trainingState() != null) {
            staged.write(OPTIMIZER, out -> SafeTensors.write(out, files.trainingState().optimizer(), Map.of()));
            staged.write(STATE, out -> out.write(JSON.writeValueAsBytes(files.trainingState().state())));
        }
        ObjectNode metrics = JSON.createObjectNode();
        new TreeMap<>(files.metrics()).forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("metric " + k + " is not finite: " + v);
            }
            metrics.put(k, v);
        });
        staged.writeText(METRICS, JSON.writeValueAsString(metrics) + "\n");
        staged.write(PROVENANCE, out -> out.write(JSON.writeValueAsBytes(files.provenance())));
    }

    /** Renames the staged directory in, the existing target moved aside until then and deleted after. */
    private static void replace(FileSystem fs, StagedDirectory staged, Path target) throws IOException {
        Path aside = staged.replace(target);
        if (aside != null) {
            fs.delete(aside, true);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads and validates a model directory.
     *
     * @param expectedShapes when not null, model.safetensors must hold exactly these tensors and shapes
     * @throws ModelFileException naming the file when anything is missing, corrupt or malformed
     */
    public static ModelFiles read(FileSystem fs, Path dir, Map<String, long[]> expectedShapes) throws IOException {
        return readPlanned(fs, dir, (configJson, source) -> expectedShapes);
    }

    /** The tensors config.json describes, worked out (and bounded) before the weights are read. */
    @FunctionalInterface
    public interface WeightsPlan {
        /** Tensor names and shapes, or null to accept whatever the weights file holds. */
        Map<String, long[]> expectedShapes(String configJson, String source) throws IOException;
    }

    /**
     * Reads and validates a model directory whose expected tensors follow from its config.json: the plan is asked
     * first, the weights file's size is checked against the bytes of those tensors, and only then is anything
     * else read, so a configuration that describes more than the file holds (or more than the limits allow)
     * allocates nothing.
     * A {@code target} that is missing because a write replacing it was interrupted after moving it aside is read
     * from where it was moved ({@link StagedDirectory#inPlaceOrMovedAside}), so a crash while a model is replaced
     * leaves the previous model loadable.
     */
    public static ModelFiles readPlanned(FileSystem fs, Path target, WeightsPlan plan) throws IOException {
        Path dir = StagedDirectory.inPlaceOrMovedAside(fs, target);
        VerifiedDirectory files = VerifiedDirectory.open(fs, dir, CHECKSUMS);
        for (String required : List.of(CONFIG, VOCAB, LABELS, WEIGHTS, METRICS, PROVENANCE)) {
            if (!files.has(required)) {
                throw new ModelFileException(dir + ": " + required + " is missing from " + CHECKSUMS);
            }
        }
        String where = dir + "/";
        String configJson = JSON.writeValueAsString(parseObject(readBytes(files, CONFIG, MAX_JSON_BYTES), where + CONFIG));
        Map<String, long[]> expectedShapes = plan.expectedShapes(configJson, where + CONFIG);
        if (expectedShapes != null) {
            checkWeightsSize(files, expectedShapes, where + WEIGHTS);
        }
        List<String> vocab = readVocab(files, where + VOCAB);
        List<String> labels = readLabels(files, where + LABELS);
        List<Tensor> weights = readTensors(files, WEIGHTS, expectedShapes);
        ModelFiles.TrainingState state = null;
        if (files.has(OPTIMIZER) && files.has(STATE)) {
            if (expectedShapes != null) {
                checkOptimizerSize(files, expectedShapes, where + OPTIMIZER);
            }
            state = new ModelFiles.TrainingState(readTensors(files, OPTIMIZER, null),
                    readRecord(files, STATE, CheckpointState.class));
        }
        Map<String, Double> metrics = readMetrics(files, where + METRICS);
        Provenance provenance = readRecord(files, PROVENANCE, Provenance.class);
        return new ModelFiles(configJson, vocab, labels, weights, state, metrics, provenance);
    }

    /** The weights file holds the expected tensors' F32 bytes plus a header of at most {@link SafeTensors#MAX_HEADER_BYTES}. */
    private static void checkWeightsSize(VerifiedDirectory files, Map<String, long[]> expected, String source)
            throws ModelFileException {
        long values = 0;
        for (long[] shape : expected.values()) {
            values += Tensor.elementCount(shape);
        }
        long size = files.size(WEIGHTS);
        long least = 8 + values * 4;
        if (size < least) {
            throw new ModelFileException(source + ": " + size + " bytes, fewer than the " + least + " that the " + values
                    + " F32 parameters config.json describes need");
        }
        if (size > least + SafeTensors.MAX_HEADER_BYTES) {
            throw new ModelFileException(source + ": " + size + " bytes, more than the " + values + " F32 parameters"
                    + " config.json describes and the largest header take (" + (least + SafeTensors.MAX_HEADER_BYTES) + ")");
        }
    }

    /** The optimizer state holds at most a few values per parameter (Adam: two moments). */
    private static void checkOptimizerSize(VerifiedDirectory files, Map<String, long[]> expected, String source)
            throws ModelFileException {
        long values = 0;
        for (long[] shape : expected.values()) {
            values += Tensor.elementCount(shape);
        }
        long most = 8 + SafeTensors.MAX_HEADER_BYTES + values * 4 * 4;
        if (files.size(OPTIMIZER) > most) {
            throw new ModelFileException(source + ": " + files.size(OPTIMIZER) + " bytes, more than the optimizer state of the "
                    + values + " parameters config.json describes can take (" + most + ")");
        }
    }

    private static byte[] readBytes(VerifiedDirectory files, String name, long limit) throws IOException {
        long size = files.size(name);
        if (size > limit) {
            throw new ModelFileException(files.dir() + "/" + name + ": " + size + " bytes exceeds the limit of " + limit);
        }
        try (InputStream in = files.open(name)) {
            return in.readNBytes((int) size);
        }
    }

    private static JsonNode parseObject(byte[] bytes, String source) throws ModelFileException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ModelFileException(source + ": not valid JSON: " + firstLine(e));
        }
        if (node == null || !node.isObject()) {
            throw new ModelFileException(source + ": must be a JSON object");
        }
        return node;
    }

    private static <T> T readRecord(VerifiedDirectory files, String name, Class<T> type) throws IOException {
        byte[] bytes = readBytes(files, name, MAX_JSON_BYTES);
        try {
            return JSON.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new ModelFileException(files.dir() + "/" + name + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(files.dir() + "/" + name + ": " + e.getMessage());
        }
    }

    private static List<String> readVocab(VerifiedDirectory files, String source) throws IOException {
        byte[] bytes = readBytes(files, VOCAB, MAX_VOCAB_BYTES);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(source + ": not valid UTF-8");
        }
        if (!text.endsWith("\n")) {
            throw new ModelFileException(source + ": last line is not terminated (truncated?)");
        }
        List<String> tokens = List.of(text.substring(0, text.length() - 1).split("\n", -1));
        validateVocab(tokens, source);
        return tokens;
    }

    private static void validateVocab(List<String> tokens, String source) throws ModelFileException {
        if (tokens.isEmpty()) {
            throw new ModelFileException(source + ": vocabulary is empty");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new ModelFileException(source + " line " + (i + 1) + ": token is empty or holds a control character");
            }
            if (!seen.add(t)) {
                throw new ModelFileException(source + " line " + (i + 1) + ": duplicate token \"" + t + "\"");
            }
        }
    }

    private static List<String> readLabels(VerifiedDirectory files, String source) throws IOException {
        JsonNode root = parseObject(readBytes(files, LABELS, MAX_JSON_BYTES), source);
        JsonNode list = root.get("labels");
        if (root.size() != 1 || list == null || !list.isArray()) {
            throw new ModelFileException(source + ": expected {\"labels\": [strings]}");
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode l : (ArrayNode) list) {
            if (!l.isTextual()) {
                throw new ModelFileException(source + ": label " + labels.size() + " is not a string: " + l);
            }
            labels.add(l.textValue());
        }
        validateLabels(labels, source);
        return labels;
    }

    /**
     * Labels are non-blank, unique, at most {@link ModelLimits#MAX_LABEL_LENGTH} characters, and hold no control or
     * format characters (line breaks, tabs, escapes, bidirectional overrides), so every place that prints or writes one
     * shows it as it is; messages quote a refused label escaped and shortened.
     */
    private static void validateLabels(List<String> labels, String source) throws ModelFileException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String l = labels.get(i);
            String problem = labelProblem(l);
            if (problem != null) {
                throw new ModelFileException(source + ": label " + i + " " + problem);
            }
            if (!seen.add(l)) {
                throw new ModelFileException(source + ": duplicate label " + escaped(l));
            }
        }
    }

    /**
     * Why {@code label} cannot be a label of a model ({@code is blank}, {@code holds the control character U+000A:
     * "a\u000ab"}, ...), or null when it can. Checked when a model directory is written or read, and by fine-tuning
     * on the labels it found before the first round.
     */
    public static String labelProblem(String label) {
        if (label.isBlank()) {
            return "is blank";
        }
        if (label.length() > ModelLimits.MAX_LABEL_LENGTH) {
            return "is " + label.length() + " characters long, more than " + ModelLimits.MAX_LABEL_LENGTH + ": "
                    + escaped(label);
        }
        int bad = label.codePoints().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)
                .findFirst().orElse(-1);
        if (bad >= 0) {
            return "holds the control character U+" + String.format("%04X", bad) + ": " + escaped(label);
        }
        return null;
    }

    /** {@code text} quoted for a one-line message: control characters as \\uXXXX, at most 40 characters. */
    public static String escaped(String text) {
        StringBuilder b = new StringBuilder("\"");
        text.codePoints().limit(40).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '"' || c == '\\') {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(text.codePointCount(0, text.length()) > 40 ? "...\"" : "\"").toString();
    }

    private static Map<String, Double> readMetrics(VerifiedDirectory files, String source) throws IOException {
        JsonNode root = parseObject(readBytes(files, METRICS, MAX_JSON_BYTES), source);
        Map<String, Double> metrics = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isNumber()) {
                throw new ModelFileException(source + ": metric " + m.getKey() + " is not a number: " + m.getValue());
            }
            metrics.put(m.getKey(), m.getValue().doubleValue());
        }
        return metrics;
    }

    private static List<Tensor> readTensors(VerifiedDirectory files, String name, Map<String, long[]> expected)
            throws IOException {
        try (FSDataInputStream in = files.open(name)) {
            return SafeTensors.read(in, files.size(name), expected, files.dir() + "/" + name).tensors();
        }
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
