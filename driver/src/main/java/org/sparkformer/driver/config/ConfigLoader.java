package org.sparkformer.driver.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a {@link SparkformerConfig} in layers: the defaults, then the named model preset, then each
 * YAML source in order, then {@code --set path=value} overrides. Every value keeps its origin so that a
 * failed validation names where the offending values came from.
 *
 * <p>The defaults are {@code conf/default.yaml}, bundled on the class path and read once: the one place
 * where a default value is written.
 */
public final class ConfigLoader {

    /** The class-path copy of {@code conf/default.yaml}. */
    static final String DEFAULTS_RESOURCE = "sparkformer/conf/default.yaml";

    private static final Map<String, RawValue> DEFAULTS = readDefaults();

    private final List<Map<String, RawValue>> layers = new java.util.ArrayList<>();

    /** One YAML text and the name used for it in messages (usually its path). */
    public record Source(String name, String yaml) {

        public static Source file(Path path) {
            try {
                return new Source(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + path + ": " + e.getMessage(), e);
            }
        }

        /** A YAML file packaged on the class path, e.g. {@code sparkformer/conf/wordnet-lexname.yaml}. */
        public static Source resource(String resource) {
            try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigException("no packaged config " + resource);
                }
                return new Source("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigException("cannot read packaged config " + resource + ": " + e.getMessage(), e);
            }
        }
    }

    /** The loaded configuration and, for each key, where its value came from ("default", a file line, --set). */
    public record Loaded(SparkformerConfig config, Map<String, String> origins) {
    }

    /** Adds a YAML source; later sources win. */
    public ConfigLoader add(Source source) {
        layers.add(YamlLayer.parse(source.yaml(), source.name()));
        return this;
    }

    /** Adds {@code path=value} overrides, as given to {@code --set}; they win over every source. */
    public ConfigLoader set(List<String> assignments) {
        Map<String, RawValue> layer = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + assignment + ": expected section.key=value");
            }
            String path = assignment.substring(0, eq).trim();
            String where = "--set " + assignment;
            if (ConfigSchema.leaf(path) == null) {
                throw YamlLayer.unknownKey(path, where);
            }
            layer.put(path, new RawValue(assignment.substring(eq + 1), RawValue.Kind.STRING, where));
        }
        layers.add(layer);
        return this;
    }

    /** Convenience: files in order, then overrides. */
    public static SparkformerConfig load(List<Path> files, List<String> overrides) {
        ConfigLoader loader = new ConfigLoader();
        files.forEach(f -> loader.add(Source.file(f)));
        return loader.set(overrides).build().config();
    }

    /** The configuration with every key at its default: {@code conf/default.yaml}, its preset applied. */
    static SparkformerConfig defaults() {
        return new ConfigLoader().build().config();
    }

    /** Converts, merges and validates every layer. */
    public Loaded build() {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        DEFAULTS.forEach((key, raw) -> {
            values.put(key, raw.convertTo(ConfigSchema.leaf(key)));
            origins.put(key, "default");
        });
        applyPreset(values, origins);
        for (Map<String, RawValue> layer : layers) {
            for (Map.Entry<String, RawValue> e : layer.entrySet()) {
                values.put(e.getKey(), e.getValue().convertTo(ConfigSchema.leaf(e.getKey())));
                origins.put(e.getKey(), e.getValue().origin());
            }
        }
        try {
            return new Loaded(ConfigSchema.bind(SparkformerConfig.class, values, ""), Map.copyOf(origins));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage() + originsOfKeysIn(e.getMessage(), origins), e);
        }
    }

    private static Map<String, RawValue> readDefaults() {
        Source source = Source.resource(DEFAULTS_RESOURCE);
        Map<String, RawValue> defaults = YamlLayer.parse(source.yaml(), source.name());
        for (String key : ConfigSchema.leaves().keySet()) {
            if (!defaults.containsKey(key)) {
                throw new ConfigException(source.name() + " gives no default for " + key);
            }
        }
        return java.util.Collections.unmodifiableMap(defaults);
    }

    private void applyPreset(Map<String, Object> values, Map<String, String> origins) {
        RawValue chosen = null;
        for (Map<String, RawValue> layer : layers) {
            if (layer.containsKey("model.preset")) {
                chosen = layer.get("model.preset");
            }
        }
        String preset = chosen == null ? (String) values.get("model.preset") : (String) chosen.convertTo(ConfigSchema.leaf("model.preset"));
        Map<String, Integer> shape = ModelSection.PRESET_SHAPES.get(preset);
        if (shape != null) {
            shape.forEach((key, v) -> {
                values.put("model." + key, v);
                origins.put("model." + key, "preset " + preset);
            });
        }
    }

    private static String originsOfKeysIn(String message, Map<String, String> origins) {
        java.util.TreeMap<Integer, String> byPosition = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : origins.entrySet()) {
            java.util.regex.Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(e.getKey()) + "(?!\\w)").matcher(message);
            if (m.find()) {
                byPosition.put(m.start(), e.getKey() + " from " + e.getValue());
            }
        }
        return byPosition.isEmpty() ? "" : " (" + String.join("; ", byPosition.values()) + ")";
    }
}
