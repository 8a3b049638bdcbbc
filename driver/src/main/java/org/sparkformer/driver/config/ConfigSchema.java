package org.sparkformer.driver.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shape of {@link SparkformerConfig} as dotted key paths, read from the record components: which
 * paths are sections (nested records) and which are leaves with a scalar type. Also turns a config into
 * a flat path-to-value map and back. Enum values are written in YAML as their lower-case names.
 */
final class ConfigSchema {

    /**
     * One configurable value: its dotted path and Java type (int, long, double, boolean, String or an enum; a
     * Boolean is true, false or null, "decided elsewhere").
     */
    record Leaf(String path, Class<?> type) {

        String typeDescription() {
            if (type == int.class || type == long.class) {
                return "an integer";
            }
            if (type == double.class) {
                return "a number";
            }
            if (type == boolean.class) {
                return "true or false";
            }
            if (type == Boolean.class) {
                return "true, false or null";
            }
            if (type.isEnum()) {
                return "one of " + yamlNames(type);
            }
            return "a string";
        }
    }

    private static final Map<String, Leaf> LEAVES;
    private static final Set<String> SECTIONS;

    static {
        Map<String, Leaf> leaves = new LinkedHashMap<>();
        Set<String> sections = new LinkedHashSet<>();
        collect(SparkformerConfig.class, "", leaves, sections);
        LEAVES = Collections.unmodifiableMap(leaves);
        SECTIONS = Collections.unmodifiableSet(sections);
    }

    private ConfigSchema() {
    }

    /** How {@code constant} is written in YAML: its name in lower case. */
    static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    private static Set<String> yamlNames(Class<?> enumType) {
        Set<String> names = new TreeSet<>();
        for (Object constant : enumType.getEnumConstants()) {
            names.add(yamlName((Enum<?>) constant));
        }
        return names;
    }

    /** The constant of {@code enumType} whose YAML name is {@code text}; fails naming the key and the allowed names. */
    private static Object enumConstant(String path, Class<?> enumType, String text) {
        for (Object constant : enumType.getEnumConstants()) {
            if (yamlName((Enum<?>) constant).equals(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(path + " must be one of " + yamlNames(enumType) + ", got " + text);
    }

    private static void collect(Class<?> type, String prefix, Map<String, Leaf> leaves, Set<String> sections) {
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix + c.getName();
            if (c.getType().isRecord()) {
                sections.add(path);
                collect(c.getType(), path + ".", leaves, sections);
            } else {
                leaves.put(path, new Leaf(path, c.getType()));
            }
        }
    }

    /** Every leaf, in declaration order. */
    static Map<String, Leaf> leaves() {
        return LEAVES;
    }

    static boolean isSection(String path) {
        return SECTIONS.contains(path);
    }

    static Leaf leaf(String path) {
        return LEAVES.get(path);
    }

    /** The known path closest to {@code unknown} by edit distance, or null when none is close. */
    static String closest(String unknown) {
        List<String> candidates = new ArrayList<>(LEAVES.keySet());
        candidates.addAll(SECTIONS);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(unknown.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int tail = unknown.length() - unknown.lastIndexOf('.') - 1;
        return bestDistance <= Math.max(2, tail / 3) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The leaves of {@code config} as path -> value as written in YAML (boxed; null where a string is unset). */
    static Map<String, Object> flatten(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten(config, "", out);
        return out;
    }

    private static void flatten(Record r, String prefix, Map<String, Object> out) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object value = accessor(c, r);
            if (value instanceof Record nested) {
                flatten(nested, prefix + c.getName() + ".", out);
            } else if (value instanceof Enum<?> constant) {
                out.put(prefix + c.getName(), yamlName(constant));
            } else {
                out.put(prefix + c.getName(), value);
            }
        }
    }

    private static Object accessor(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    /**
     * Builds a record of {@code type} from flat values under {@code prefix}, enums from their YAML names;
     * validation failures of the records' constructors surface as {@link IllegalArgumentException} with
     * their own message.
     */
    static <T extends Record> T bind(Class<T> type, Map<String, Object> flat, String prefix) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            String path = prefix + components[i].getName();
            if (types[i].isRecord()) {
                args[i] = bind(types[i].asSubclass(Record.class), flat, path + ".");
            } else if (types[i].isEnum()) {
                args[i] = enumConstant(path, types[i], (String) flat.get(path));
            } else {
                args[i] = flat.get(path);
            }
        }
        try {
            Constructor<T> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** Flat path -> value as nested maps, sections in declaration order. */
    static Map<String, Object> nest(Map<String, Object> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
                node = child;
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return root;
    }
}
