package org.sparkformer.driver.ml;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a label column holds and so what a prediction is. A string column's labels are ordered alphabetically
 * and a prediction is the label's index in that order (the index a {@code StringIndexer} with
 * {@code stringOrderType "alphabetAsc"} gives). A numeric column's labels (e.g. a {@code StringIndexer}'s output)
 * are ordered by value and a prediction is the label's value, so it compares directly with the label column, as
 * Spark's own classifiers do. Numeric labels become label names in a canonical form: {@code 1.0} is {@code "1"}.
 */
enum LabelKind {
    STRING,
    NUMERIC;

    /** The kind of {@code column}'s type; other types are an error naming the column. */
    static LabelKind of(String column, DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return STRING;
        }
        if (type instanceof NumericType && !(type instanceof org.apache.spark.sql.types.DecimalType)) {
            return NUMERIC;
        }
        throw new IllegalArgumentException("label column '" + column + "' must be a string or numeric column, got "
                + type.catalogString());
    }

    /** The label name of a column value; {@code where} names the row in messages. */
    String nameOf(Object value, String column, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": label column '" + column + "' is null");
        }
        if (this == STRING) {
            return (String) value;
        }
        double v = ((Number) value).doubleValue();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(where + ": label column '" + column + "' holds " + v);
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The distinct label names in the model's order. */
    List<String> order(Collection<String> names) {
        Comparator<String> order = this == STRING ? Comparator.naturalOrder() : Comparator.comparingDouble(Double::parseDouble);
        return names.stream().distinct().sorted(order).toList();
    }

    /** The prediction column's value for the label at {@code index} of the model's labels. */
    double prediction(int index, String name) {
        return this == STRING ? index : Double.parseDouble(name);
    }

    /** The name stored in model metadata. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LabelKind parse(String id, String where) {
        for (LabelKind kind : values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(where + ": labelKind must be string or numeric, got '" + id + "'");
    }
}
