package org.sparkformer.kernels.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * JSON mapping for the configuration records: writes every field, and reads a JSON object on top of a
 * record of defaults so that missing keys keep their default and unknown keys are rejected by name.
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StrictJson() {
    }

    /** Pretty-printed JSON object with one key per record component. */
    public static String write(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads {@code json} as an object of {@code type}, starting from {@code defaults}.
     *
     * @throws IllegalArgumentException naming the unknown key, the malformed value or the failed validation
     */
    public static <T> T read(String json, T defaults, Class<T> type) {
        String what = type.getSimpleName();
        ObjectNode merged = MAPPER.valueToTree(defaults);
        JsonNode given;
        try {
            given = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " JSON is malformed at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (given == null || !given.isObject()) {
            throw new IllegalArgumentException(what + " JSON must be an object, got: " + json);
        }
        List<String> known = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                known.add(c.getName());               // also the components a default leaves out of JSON
            }
        } else {
            merged.fieldNames().forEachRemaining(known::add);
        }
        for (Iterator<String> names = given.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown key '" + name + "' in " + what + " JSON; known keys: " + known);
            }
        }
        merged.setAll((ObjectNode) given);
        try {
            return MAPPER.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException iae) {
                    throw iae;
                }
            }
            throw new IllegalArgumentException(what + " JSON has a bad value: " + e.getOriginalMessage(), e);
        }
    }
}
