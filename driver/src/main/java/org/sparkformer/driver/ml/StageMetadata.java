package org.sparkformer.driver.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.sparkformer.driver.storage.StagedDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A saved stage's parameters in Spark ML's metadata layout, so that {@code Pipeline} and {@code PipelineModel}
 * readers find them: one JSON line in {@code metadata/part-00000} with {@code class}, {@code uid},
 * {@code timestamp}, {@code sparkVersion}, {@code paramMap} (values set) and {@code defaultParamMap}, plus any
 * stage-specific fields. Reading checks that {@code class} names the expected stage; it never loads a class by name.
 */
final class StageMetadata {

    static final String FILE = "metadata/part-00000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageMetadata() {
    }

    /** Writes {@code stage}'s metadata, with {@code fields} added, into {@code staged}. */
    static void write(Params stage, String sparkVersion, Map<String, String> fields, StagedDirectory staged)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("class", stage.getClass().getName());
        root.put("timestamp", System.currentTimeMillis());
        root.put("sparkVersion", sparkVersion);
        root.put("uid", stage.uid());
        ObjectNode set = root.putObject("paramMap");
        ObjectNode defaults = root.putObject("defaultParamMap");
        for (Param<?> p : stage.params()) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) p;
            if (stage.isSet(param)) {
                set.set(param.name(), JSON.readTree(param.jsonEncode(stage.get(param).get())));
            }
            if (stage.hasDefault(param)) {
                defaults.set(param.name(), JSON.readTree(param.jsonEncode(stage.getDefault(param).get())));
            }
        }
        fields.forEach(root::put);
        staged.writeText(FILE, JSON.writeValueAsString(root) + "\n");
    }

    /** Reads the metadata under {@code dir}; it must be that of {@code expected}. */
    static ObjectNode read(FileSystem fs, Path dir, Class<?> expected) throws IOException {
        Path file = new Path(dir, FILE);
        if (!fs.exists(file)) {
            throw new IOException(dir + " is not a saved " + expected.getSimpleName() + ": " + FILE + " is missing");
        }
        JsonNode root;
        try (FSDataInputStream in = fs.open(file)) {
            root = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        String className = text(root, "class", file);
        if (!className.equals(expected.getName())) {
            throw new IOException(file + ": holds a " + className + ", expected a " + expected.getName());
        }
        text(root, "uid", file);
        for (String map : new String[]{"paramMap", "defaultParamMap"}) {
            if (root.has(map) && !root.get(map).isObject()) {
                throw new IOException(file + ": " + map + " must be a JSON object");
            }
        }
        return (ObjectNode) root;
    }

    /** Sets {@code stage}'s defaults and values from the metadata; an unknown parameter is an error. */
    static void applyTo(ObjectNode metadata, Params stage, String where) {
        apply(metadata.get("defaultParamMap"), stage, where, true);
        apply(metadata.get("paramMap"), stage, where, false);
    }

    /** A required string field. */
    static String text(JsonNode root, String field, Object where) throws IOException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new IOException(where + ": field '" + field + "' must be a string");
        }
        return node.textValue();
    }

    private static void apply(JsonNode values, Params stage, String where, boolean asDefault) {
        if (values == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Param<Object> param;
            try {
                @SuppressWarnings("unchecked")
                Param<Object> found = (Param<Object>) stage.getParam(e.getKey());
                param = found;
            } catch (NoSuchElementException unknown) {
                throw new IllegalArgumentException(where + ": unknown parameter '" + e.getKey() + "' for "
                        + stage.getClass().getSimpleName());
            }
            Object value;
            try {
                value = param.jsonDecode(e.getValue().toString());
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException(where + ": parameter '" + e.getKey() + "' has an unreadable value "
                        + e.getValue(), bad);
            }
            if (asDefault) {
                stage.setDefault(param, value);
            } else {
                stage.set(param, value);
            }
        }
    }
}
