package org.sparkformer.data.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits one TSV line (plain tabs) or CSV line (commas, {@code "}-quoted fields, {@code ""} escapes) into fields. */
final class DelimitedFields {

    private DelimitedFields() {
    }

    static List<String> split(String line, LabelledFormat format) {
        return format == LabelledFormat.TSV ? Arrays.asList(line.split("\t", -1)) : splitCsv(line);
    }

    /** Fields of a CSV line; throws IllegalArgumentException on an unclosed quote. */
    static List<String> splitCsv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote");
        }
        fields.add(field.toString());
        return fields;
    }
}
