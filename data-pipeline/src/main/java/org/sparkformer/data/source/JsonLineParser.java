package org.sparkformer.data.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;

/** Parses one JSON Lines record and extracts text fields from it, reporting problems as bad records. */
final class JsonLineParser implements Serializable {

    private transient ObjectMapper mapper;

    /**
     * The object on {@code line}, or a bad record (blank line, malformed JSON, not an object, anything after the
     * object: a second object on the line, trailing garbage).
     */
    Outcome<JsonNode> parse(Line line, BadRecordPolicy policy) {
        if (line.isBlank()) {
            return Outcome.reject(line.bad(BadRecordReason.EMPTY_RECORD, "blank line"), policy);
        }
        try {
            JsonNode node = mapper().readTree(line.text());
            if (node == null || !node.isObject()) {
                return Outcome.reject(line.bad(BadRecordReason.MALFORMED_JSON, "not a JSON object"), policy);
            }
            return Outcome.good(node);
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage().startsWith("Trailing token")
                    ? "more after the object (a line holds one JSON object)" : e.getOriginalMessage();
            return Outcome.reject(line.bad(BadRecordReason.MALFORMED_JSON, detail), policy);
        }
    }

    /** The text of {@code field}, or a bad record when missing, not a string (a number, a boolean), or blank. */
    static Outcome<String> text(JsonNode node, String field, Line line, BadRecordPolicy policy) {
        return field(node, field, line, policy, false);
    }

    /** The label in {@code field}: a string or a whole number, else a bad record. */
    static Outcome<String> label(JsonNode node, String field, Line line, BadRecordPolicy policy) {
        return field(node, field, line, policy, true);
    }

    private static Outcome<String> field(JsonNode node, String field, Line line, BadRecordPolicy policy,
                                         boolean wholeNumberAllowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Outcome.reject(line.bad(BadRecordReason.MISSING_COLUMN, "no field '" + field + "'"), policy);
        }
        boolean accepted = value.isTextual() || (wholeNumberAllowed && value.isIntegralNumber());
        if (!accepted) {
            return Outcome.reject(line.bad(BadRecordReason.WRONG_TYPE, "field '" + field + "' is "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not a string"
                    + (wholeNumberAllowed ? " or a whole number" : "")), policy);
        }
        String text = value.asText();
        if (text.isBlank()) {
            return Outcome.reject(line.bad(BadRecordReason.EMPTY_RECORD, "field '" + field + "' is blank"), policy);
        }
        return Outcome.good(text);
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        }
        return mapper;
    }
}
