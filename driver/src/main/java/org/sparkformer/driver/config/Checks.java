package org.sparkformer.driver.config;

import java.util.Set;

/** Range and membership checks used by the configuration records; messages state the offending values. */
final class Checks {

    private Checks() {
    }

    static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    static void nonNegative(String key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(key + " must not be negative, got " + value);
        }
    }

    static void positive(String key, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a positive number, got " + value);
        }
    }

    static void nonNegative(String key, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a non-negative number, got " + value);
        }
    }

    /** {@code 0 <= value < 1}. */
    static void fraction(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(key + " must be in [0, 1), got " + value);
        }
    }

    static void oneOf(String key, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(key + " must be one of " + new java.util.TreeSet<>(allowed) + ", got " + value);
        }
    }

    static void present(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be set");
        }
    }

    static void required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must be set");
        }
    }
}
