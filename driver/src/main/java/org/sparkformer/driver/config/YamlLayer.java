package org.sparkformer.driver.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values one YAML file sets, as path -> {@link RawValue} with file and line. Unknown keys, duplicate
 * keys, lists and mappings where a single value belongs are refused here, before any conversion.
 */
final class YamlLayer {

    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlLayer() {
    }

    /** Parses {@code text}; {@code source} names the file in every message. */
    static Map<String, RawValue> parse(String text, String source) {
        Map<String, RawValue> values = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                return values;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(source + " line " + line(p) + ": the top level must be a mapping of sections"
                        + " (model, data, training)");
            }
            readMapping(p, "", values, source);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return values;
    }

    private static void readMapping(JsonParser p, String prefix, Map<String, RawValue> values, String source)
            throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix + p.currentName();
            int line = line(p);
            String where = source + " line " + line;
            if (!seen.add(path)) {
                throw new ConfigException("duplicate key " + path + " in " + where);
            }
            JsonToken value = p.nextToken();
            boolean section = ConfigSchema.isSection(path);
            ConfigSchema.Leaf leaf = ConfigSchema.leaf(path);
            if (!section && leaf == null) {
                throw unknownKey(path, where);
            }
            if (section) {
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    throw new ConfigException(path + " in " + where + " must be a mapping of keys, got \"" + p.getText() + "\"");
                }
                readMapping(p, path + ".", values, source);
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                throw new ConfigException("wrong type for " + path + " in " + where + ": expected "
                        + leaf.typeDescription() + ", got a " + (value == JsonToken.START_OBJECT ? "mapping" : "list"));
            } else {
                values.put(path, new RawValue(p.getText(), kindOf(value), where));
            }
        }
    }

    static ConfigException unknownKey(String path, String where) {
        String suggestion = ConfigSchema.closest(path);
        return new ConfigException("unknown key " + path + " in " + where
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
    }

    private static RawValue.Kind kindOf(JsonToken token) {
        return switch (token) {
            case VALUE_NUMBER_INT -> RawValue.Kind.INTEGER;
            case VALUE_NUMBER_FLOAT -> RawValue.Kind.FLOAT;
            case VALUE_TRUE, VALUE_FALSE -> RawValue.Kind.BOOLEAN;
            case VALUE_NULL -> RawValue.Kind.NULL;
            default -> RawValue.Kind.STRING;
        };
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
