package org.sparkformer.driver.modeldir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.storage.OutputLock;
import org.sparkformer.kernels.compress.WeightStorage;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.Tensor;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained model as the driver handles it: the Transformer configuration, how text is tokenized, the
 * vocabulary, the labels (empty for a pretrained encoder) and the flat parameter vector. On disk it is a
 * {@link ModelDirectory} whose {@code config.json} holds {@code {"model": ..., "tokenizer": ...}} and
 * whose weights are one named tensor per parameter in the safetensors layout, with the shapes the
 * configuration implies (checked before anything is allocated).
 */
public record TrainedModel(TransformerConfig config, TokenizerSettings tokenizerSettings, Vocabulary vocabulary,
                           List<String> labels, float[] params) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONFIG_KEYS = Set.of("model", "tokenizer");
    /** Optional key of config.json: how compressed weight matrices are stored ({@link WeightStorage}). */
    public static final String STORAGE_KEY = "storage";
    private static final Set<String> TOKENIZER_KEYS = Set.of("lowercase", "stripAccents", "maxLength");

    public TrainedModel {
        labels = List.copyOf(labels);
        if (vocabulary.size() != config.vocabSize()) {
            throw new IllegalArgumentException("vocabulary has " + vocabulary.size() + " tokens but the model expects "
                    + config.vocabSize());
        }
        if (!config.task().isLanguageModel() && labels.size() != config.numLabels()) {
            throw new IllegalArgumentException(labels.size() + " labels given for a model with " + config.numLabels()
                    + " outputs");
        }
    }

    /** A Transformer holding these parameters. */
    public TransformerModel build() {
        TransformerModel model = new TransformerModel(config);
        model.loadParameters(params);
        return model;
    }

    /**
     * A SHA-256 (lower-case hex) of what the model is: its configuration, tokenizer settings, vocabulary, labels and
     * parameters; two models with equal digests predict alike. A resumed fine-tuning compares it with the pretrained
     * model its checkpoints started from.
     */
    public String sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        digest.update((configJson() + "\n" + String.join("\n", vocabulary.tokens()) + "\n\u0000"
                + String.join("\n", labels) + "\n\u0000").getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(4 << 14).order(ByteOrder.LITTLE_ENDIAN);
        for (float p : params) {
            if (!buf.hasRemaining()) {
                digest.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(p);
        }
        digest.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(digest.digest());
    }

    public BertTokenizer tokenizer() {
        return tokenizerSettings.tokenizer(vocabulary);
    }

    /** Tensor names and shapes a model of {@code config} has, in parameter order. */
    public static Map<String, long[]> expectedShapes(TransformerConfig config) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        new TransformerModel(config).namedParameters().forEach((name, p) -> shapes.put(name, p.shape()));
        return shapes;
    }

    /** The model's files; {@code trainingState} may be null. */
    public ModelFiles toFiles(Map<String, Double> metrics, Provenance provenance, ModelFiles.TrainingState trainingState) {
        return new ModelFiles(configJson(), vocabulary.tokens(), labels, weights(), trainingState, metrics, provenance);
    }

    /**
     * The model's files with its weight matrices stored as {@code storage} says, recorded in config.json under
     * {@value #STORAGE_KEY}; without training state (the model is for inference or further fine-tuning).
     */
    public ModelFiles toFiles(Map<String, Double> metrics, Provenance provenance, WeightStorage storage) {
        String json = configJson();
        if (!storage.isPlain()) {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(json);
                root.set(STORAGE_KEY, storage.toJson());
                json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write model configuration", e);
            }
        }
        return new ModelFiles(json, vocabulary.tokens(), labels, storage.encode(weights()), null, metrics, provenance);
    }

    /** One F32 tensor per parameter, named and shaped as in the model, in parameter order. */
    public List<Tensor> weights() {
        TransformerModel model = build();
        List<Tensor> weights = new ArrayList<>();
        model.namedParameters().forEach((name, p) ->
                weights.add(new Tensor(name, p.shape(), p.castTo(DataType.FLOAT).dup().reshape(p.length()).toFloatVector())));
        return weights;
    }

    /**
     * Writes the model directory (temporary directory, then rename) holding the output lock of the directory it is
     * written into, as the command line's jobs hold theirs: while another job or writer holds it, this fails at once
     * naming the holder.
     */
    public void save(FileSystem fs, Path dir, Map<String, Double> metrics, Provenance provenance,
                     ModelFiles.TrainingState trainingState, boolean overwrite) throws IOException {
        Path qualified = fs.makeQualified(dir);
        try (OutputLock lock = OutputLock.acquire(fs, qualified.getParent(), "save model " + qualified.getName())) {
            saveHoldingLock(fs, qualified, metrics, provenance, trainingState, overwrite);
        }
    }

    /** As {@link #save}, for a caller that already holds the output lock of {@code dir}'s parent (a running job). */
    public void saveHoldingLock(FileSystem fs, Path dir, Map<String, Double> metrics, Provenance provenance,
                                ModelFiles.TrainingState trainingState, boolean overwrite) throws IOException {
        ModelDirectory.write(fs, dir, toFiles(metrics, provenance, trainingState), overwrite);
    }

    /**
     * Reads and validates a model directory. Its config.json is read first: every dimension and the size of the
     * weights it describes are checked against {@link ModelLimits}, and the tensors it implies against the weights
     * file's size and header, before anything is allocated.
     */
    public static TrainedModel load(FileSystem fs, Path dir) throws IOException {
        return fromFiles(readFiles(fs, dir), dir.toString());
    }

    /** The files of a model directory, read as {@link #load} reads them (limits and shapes checked first). */
    public static ModelFiles readFiles(FileSystem fs, Path dir) throws IOException {
        return ModelDirectory.readPlanned(fs, dir, (configJson, source) -> {
            JsonNode root = JSON.readTree(configJson);
            TransformerConfig config = parseConfig(root, source).config();
            ModelLimits.check(config, source);
            boolean plain = !root.has(STORAGE_KEY) || WeightStorage.fromJson(root.get(STORAGE_KEY), source + " "
                    + STORAGE_KEY).isPlain();
            // compressed weights are stored under other tensors and sizes; they are checked as they are decoded
            return plain ? ModelShapes.of(config) : null;
        });
    }

    /** The model and tokenizer settings of a config.json. */
    private record ParsedConfig(TransformerConfig config, TokenizerSettings tokenizer) {
    }

    private static ParsedConfig parseConfig(JsonNode root, String where) throws ModelFileException {
        requireKeys(root, CONFIG_KEYS, Set.of(STORAGE_KEY), where);
        JsonNode tok = root.get("tokenizer");
        requireKeys(tok, TOKENIZER_KEYS, Set.of(), where + " tokenizer");
        try {
            TransformerConfig config = TransformerConfig.fromJson(JSON.writeValueAsString(root.get("model")));
            TokenizerSettings settings = new TokenizerSettings(bool(tok, "lowercase", where), bool(tok, "stripAccents", where),
                    integer(tok, "maxLength", where));
            if (settings.maxLength() > ModelLimits.MAX_LENGTH) {
                throw new ModelFileException(where + ": tokenizer.maxLength " + settings.maxLength() + " exceeds the limit of "
                        + ModelLimits.MAX_LENGTH);
            }
            return new ParsedConfig(config, settings);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(where + ": " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFileException(where + ": " + e.getOriginalMessage());
        }
    }

    /** Reads the model directory and also returns its files (metrics, provenance, training state). */
    public static TrainedModel fromFiles(ModelFiles files, String source) throws IOException {
        JsonNode root = JSON.readTree(files.configJson());
        ParsedConfig parsed = parseConfig(root, source + "/config.json");
        TransformerConfig config = parsed.config();
        TokenizerSettings settings = parsed.tokenizer();
        ModelLimits.check(config, source + "/config.json");
        Map<String, long[]> expected = ModelShapes.of(config);
        TransformerModel model = new TransformerModel(config);
        WeightStorage storage = root.has(STORAGE_KEY)
                ? WeightStorage.fromJson(root.get(STORAGE_KEY), source + "/config.json " + STORAGE_KEY)
                : WeightStorage.plain();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        storage.decode(files.weights(), source + "/model.safetensors").forEach(t -> byName.put(t.name(), t));
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = byName.remove(e.getKey());
            if (t == null) {
                throw new ModelFileException(source + "/model.safetensors: tensor " + e.getKey() + " is missing");
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
                throw new ModelFileException(source + "/model.safetensors: tensor " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", the config implies " + java.util.Arrays.toString(e.getValue()));
            }
            INDArray view = model.namedParameters().get(e.getKey());
            view.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(t.data()).reshape(view.shape()).castTo(view.dataType()));
        }
        if (!byName.isEmpty()) {
            throw new ModelFileException(source + "/model.safetensors: unexpected tensors " + byName.keySet());
        }
        Vocabulary vocabulary = new Vocabulary(files.vocab(), source + "/vocab.txt");
        try {
            return new TrainedModel(config, settings, vocabulary, files.labels(), model.parametersAsFloats());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source + ": " + e.getMessage());
        }
    }

    String configJson() {
        try {
            ObjectNode root = JSON.createObjectNode();
            root.set("model", JSON.readTree(config.toJson()));
            ObjectNode tok = root.putObject("tokenizer");
            tok.put("lowercase", tokenizerSettings.lowercase());
            tok.put("stripAccents", tokenizerSettings.stripAccents());
            tok.put("maxLength", tokenizerSettings.maxLength());
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model configuration", e);
        }
    }

    private static void requireKeys(JsonNode node, Set<String> keys, Set<String> optional, String where)
            throws ModelFileException {
        if (node == null || !node.isObject()) {
            throw new ModelFileException(where + ": expected a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k) && !optional.contains(k)) {
                throw new ModelFileException(where + ": unknown key " + k + " (expected " + keys
                        + (optional.isEmpty() ? "" : ", optionally " + optional) + ")");
            }
        }
        for (String k : keys) {
            if (!node.has(k)) {
                throw new ModelFileException(where + ": missing key " + k);
            }
        }
    }

    private static boolean bool(JsonNode n, String key, String where) throws ModelFileException {
        if (!n.get(key).isBoolean()) {
            throw new ModelFileException(where + ": tokenizer." + key + " must be true or false");
        }
        return n.get(key).booleanValue();
    }

    private static int integer(JsonNode n, String key, String where) throws ModelFileException {
        if (!n.get(key).canConvertToInt() || !n.get(key).isIntegralNumber()) {
            throw new ModelFileException(where + ": tokenizer." + key + " must be an integer");
        }
        return n.get(key).intValue();
    }
}
