package org.sparkformer.driver.config;

/**
 * A value as written by a person, before conversion: its text, what kind of scalar the YAML parser saw,
 * and where it came from ("conf/x.yaml line 4", "--set training.lr=3e-4").
 */
record RawValue(String text, Kind kind, String origin) {

    enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /** Converts to the type of {@code leaf}, or fails naming the key, origin, expected type and value. */
    Object convertTo(ConfigSchema.Leaf leaf) {
        Class<?> type = leaf.type();
        if (kind == Kind.NULL || (kind == Kind.STRING && text.equals("null") && origin.startsWith("--set"))) {
            if (type == String.class || type == Boolean.class) {
                return null;
            }
            throw wrongType(leaf);
        }
        try {
            if (type == int.class) {
                return Integer.parseInt(integerText(leaf));
            }
            if (type == long.class) {
                return Long.parseLong(integerText(leaf));
            }
            if (type == double.class) {
                if (kind == Kind.BOOLEAN) {
                    throw wrongType(leaf);
                }
                double d = Double.parseDouble(text.trim());
                if (!Double.isFinite(d)) {
                    throw wrongType(leaf);
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw wrongType(leaf);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
            throw wrongType(leaf);
        }
        return text;
    }

    private String integerText(ConfigSchema.Leaf leaf) {
        if (kind == Kind.FLOAT || kind == Kind.BOOLEAN) {
            throw wrongType(leaf);
        }
        return text.trim();
    }

    private ConfigException wrongType(ConfigSchema.Leaf leaf) {
        String shown = kind == Kind.NULL ? "null" : "\"" + text + "\"";
        return new ConfigException("wrong type for " + leaf.path() + " in " + origin + ": expected "
                + leaf.typeDescription() + ", got " + shown);
    }
}
