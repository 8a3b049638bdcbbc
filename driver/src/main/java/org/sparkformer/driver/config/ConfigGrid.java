package org.sparkformer.driver.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A grid of settings to search: configuration keys, each with the values to try, as YAML (nested sections or dotted
 * keys, a list or a single value per key):
 *
 * <pre>
 * training.lr: [1.0e-4, 1.0e-3]
 * model:
 *   layers: [2, 4]
 * </pre>
 *
 * The points are every combination, the first key varying slowest; each point is a list of {@code key=value}
 * overrides, as {@code --set} takes them. Keys are checked against the configuration's keys when the grid is read.
 */
public final class ConfigGrid {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The most points a grid may have: a grid is a search, not a sweep over thousands of runs. */
    public static final int MAX_POINTS = 1024;

    private final String name;
    private final LinkedHashMap<String, List<String>> axes;

    private ConfigGrid(String name, LinkedHashMap<String, List<String>> axes) {
        this.name = name;
        this.axes = axes;
    }

    /** Reads a grid; {@code name} (its file) is named in every error. */
    public static ConfigGrid parse(String yaml, String name) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(name + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new ConfigException(name + ": a grid maps configuration keys to the values to try, e.g. "
                    + "'training.lr: [1.0e-4, 1.0e-3]'");
        }
        LinkedHashMap<String, List<String>> axes = new LinkedHashMap<>();
        collect(root, "", name, axes);
        long points = 1;
        for (List<String> values : axes.values()) {
            points *= values.size();
            if (points > MAX_POINTS) {
                throw new ConfigException(name + ": the grid has more than " + MAX_POINTS + " points");
            }
        }
        return new ConfigGrid(name, axes);
    }

    private static void collect(JsonNode node, String prefix, String name, Map<String, List<String>> axes) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject() && ConfigSchema.isSection(path)) {
                collect(value, path + ".", name, axes);
                continue;
            }
            if (ConfigSchema.leaf(path) == null) {
                throw YamlLayer.unknownKey(path, name);
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : value.isArray() ? value : List.of(value)) {
                if (!v.isValueNode()) {
                    throw new ConfigException(name + ": " + path + " takes scalar values, got " + v);
                }
                values.add(v.isNull() ? "null" : v.asText());
            }
            if (values.isEmpty()) {
                throw new ConfigException(name + ": " + path + " has an empty list of values");
            }
            if (axes.put(path, values) != null) {
                throw new ConfigException(name + ": " + path + " is given twice");
            }
        }
    }

    /** The file the grid came from. */
    public String name() {
        return name;
    }

    /** The keys searched, in grid order. */
    public List<String> keys() {
        return List.copyOf(axes.keySet());
    }

    /** Every combination, each as {@code key=value} overrides in key order. */
    public List<List<String>> points() {
        List<List<String>> points = new ArrayList<>();
        points.add(List.of());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> point : points) {
                for (String value : axis.getValue()) {
                    List<String> extended = new ArrayList<>(point);
                    extended.add(axis.getKey() + "=" + value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    /**
     * The configuration of each point: {@code baseYaml} (a whole effective configuration) with the point's values,
     * each checked as a configuration is; an error names the point.
     */
    public List<SparkformerConfig> configs(String baseYaml) {
        List<SparkformerConfig> configs = new ArrayList<>();
        for (List<String> point : points()) {
            try {
                configs.add(new ConfigLoader().add(new ConfigLoader.Source("the base configuration", baseYaml))
                        .set(point).build().config());
            } catch (ConfigException | IllegalArgumentException e) {
                throw new ConfigException(name + ": the point " + String.join(", ", point) + ": " + e.getMessage());
            }
        }
        return configs;
    }
}
