package org.sparkformer.data.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;

/**
 * The labels of a classification task, sorted, with id = position. Inferred from the training split (a distinct
 * aggregate; deterministic) or loaded from {@code labels.json}: {@code {"labels": ["a", "b", ...]}}.
 */
public final class LabelSet implements Serializable {

    public static final String FILE_NAME = "labels.json";

    private final List<String> labels;
    private final Map<String, Integer> ids = new HashMap<>();

    public LabelSet(List<String> labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a label set needs at least one label");
        }
        this.labels = List.copyOf(labels);
        for (int i = 0; i < labels.size(); i++) {
            if (ids.put(labels.get(i), i) != null) {
                throw new IllegalArgumentException("label '" + labels.get(i) + "' appears twice");
            }
        }
    }

    /** The sorted distinct labels of {@code labels} (e.g. the training split's labels). */
    public static LabelSet infer(JavaRDD<String> labels) {
        return new LabelSet(new ArrayList<>(new TreeSet<>(labels.distinct().collect())));
    }

    public int size() {
        return labels.size();
    }

    /** The id of {@code label}, or -1 when it is not in the set. */
    public int id(String label) {
        return ids.getOrDefault(label, -1);
    }

    public String label(int id) {
        return labels.get(id);
    }

    public List<String> labels() {
        return labels;
    }

    public String toJson() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        labels.forEach(root.putArray("labels")::add);
        return root.toPrettyString() + "\n";
    }

    public void save(String path, Configuration conf) {
        AtomicFiles.writeText(path, toJson(), conf);
    }

    public static LabelSet load(String path, Configuration conf) {
        try {
            JsonNode root = new ObjectMapper().readTree(AtomicFiles.read(path, conf));
            JsonNode array = root == null ? null : root.get("labels");
            if (array == null || !array.isArray() || array.isEmpty()) {
                throw new IllegalArgumentException(path + ": expected {\"labels\": [...]} with at least one label");
            }
            List<String> labels = new ArrayList<>();
            for (JsonNode n : array) {
                if (!n.isTextual() || n.asText().isBlank()) {
                    throw new IllegalArgumentException(path + ": label " + labels.size() + " is not a non-blank string: " + n);
                }
                labels.add(n.asText());
            }
            return new LabelSet(labels);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return "LabelSet" + labels;
    }
}
