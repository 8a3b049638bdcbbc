package org.sparkformer.data.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;

/** Parses one JSON Lines record and extracts text fields from it, reporting problems as bad records. */
final class JsonLineParser implements Serializable {

    private transient ObjectMapper mapper;

    /** The object on {@code line}, or a bad record (blank line, malformed JSON, not an object). */
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
            return Outcome.reject(line.bad(BadRecordReason.MALFORMED_JSON, e.getOriginalMessage()), policy);
        }
    }

    /** The text of {@code field}, or a bad record when missing, not a scalar, or blank. */
    static Outcome<String> field(JsonNode node, String field, Line line, BadRecordPolicy policy) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Outcome.reject(line.bad(BadRecordReason.MISSING_COLUMN, "no field '" + field + "'"), policy);
        }
        if (!value.isValueNode()) {
            return Outcome.reject(line.bad(BadRecordReason.MISSING_COLUMN, "field '" + field + "' is not a string or number"), policy);
        }
        String text = value.asText();
        if (text.isBlank()) {
            return Outcome.reject(line.bad(BadRecordReason.EMPTY_RECORD, "field '" + field + "' is blank"), policy);
        }
        return Outcome.good(text);
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        return mapper;
    }
}
