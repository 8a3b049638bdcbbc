package org.sparkformer.data.source;

import java.io.Serializable;

/**
 * A column chosen by name (needs a header, a JSON field or a Parquet column) or by 0-based index.
 *
 * @param name  the column name, or null when chosen by index
 * @param index the 0-based index, or -1 when chosen by name
 */
public record Column(String name, int index) implements Serializable {

    public Column {
        if ((name == null) == (index < 0)) {
            throw new IllegalArgumentException("a column is chosen either by name or by index >= 0, got name "
                    + name + ", index " + index);
        }
    }

    public static Column named(String name) {
        return new Column(name, -1);
    }

    public static Column at(int index) {
        return new Column(null, index);
    }

    /** "text" or "#1": a number chooses by index, anything else by name. */
    public static Column parse(String value) {
        String v = value.trim();
        if (v.matches("#?\\d+")) {
            return at(Integer.parseInt(v.startsWith("#") ? v.substring(1) : v));
        }
        return named(v);
    }

    public boolean byName() {
        return name != null;
    }

    @Override
    public String toString() {
        return byName() ? "'" + name + "'" : "#" + index;
    }
}
