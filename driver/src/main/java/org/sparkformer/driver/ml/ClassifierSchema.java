package org.sparkformer.driver.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparkformer.driver.executor.RowScorer;

import java.util.Arrays;

/**
 * The columns the Sparkformer stages read and write: checks that an input column exists with a usable type (an error
 * names the column, what is wrong and the columns there are) and appends the output columns.
 */
final class ClassifierSchema {

    private ClassifierSchema() {
    }

    /** {@code column} must exist and hold strings. */
    static void requireText(StructType schema, String column, String stage) {
        StructField field = field(schema, column, "text", stage);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(stage + ": text column '" + column + "' must be a string column, got "
                    + field.dataType().catalogString());
        }
    }

    /** {@code column} must exist and hold arrays of strings ({@code role} names it in messages: "words", "tags"). */
    static void requireStringArray(StructType schema, String column, String role, String stage) {
        StructField field = field(schema, column, role, stage);
        if (!(field.dataType() instanceof ArrayType array) || !array.elementType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(stage + ": " + role + " column '" + column + "' must be an array<string>"
                    + " column, got " + field.dataType().catalogString());
        }
    }

    /** {@code schema} followed by a tagger's wanted output columns (an empty name leaves a column out). */
    static StructType withTagOutputs(StructType schema, String predictedTagsCol, String tagProbabilitiesCol, String stage) {
        StructType out = append(schema, predictedTagsCol, DataTypes.createStructField(predictedTagsCol,
                DataTypes.createArrayType(DataTypes.StringType, true), false), stage);
        return append(out, tagProbabilitiesCol, DataTypes.createStructField(tagProbabilitiesCol,
                DataTypes.createArrayType(DataTypes.DoubleType, true), false), stage);
    }

    /** {@code column} must exist and hold strings or numbers; returns which. */
    static LabelKind requireLabel(StructType schema, String column, String stage) {
        StructField field = field(schema, column, "label", stage);
        try {
            return LabelKind.of(column, field.dataType());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stage + ": " + e.getMessage(), e);
        }
    }

    /** {@code schema} followed by the wanted output columns (an empty name leaves a column out). */
    static StructType withOutputs(StructType schema, String probabilityCol, String predictionCol, String predictedLabelCol,
                                  String stage) {
        StructType out = schema;
        out = append(out, probabilityCol, new StructField(probabilityCol, SQLDataTypes.VectorType(), false,
                org.apache.spark.sql.types.Metadata.empty()), stage);
        out = append(out, predictionCol, DataTypes.createStructField(predictionCol, DataTypes.DoubleType, false), stage);
        out = append(out, predictedLabelCol, DataTypes.createStructField(predictedLabelCol, DataTypes.StringType, false),
                stage);
        return out;
    }

    /** The output columns wanted, as the scorer appends them. */
    static RowScorer.Outputs outputs(String probabilityCol, String predictionCol, String predictedLabelCol) {
        return new RowScorer.Outputs(!probabilityCol.isEmpty(), !predictionCol.isEmpty(), !predictedLabelCol.isEmpty());
    }

    private static StructType append(StructType schema, String column, StructField field, String stage) {
        if (column.isEmpty()) {
            return schema;
        }
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(stage + ": output column '" + column + "' already exists in the input");
        }
        return schema.add(field);
    }

    private static StructField field(StructType schema, String column, String role, String stage) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(stage + ": " + role + " column '" + column + "' is missing; the input has"
                    + " columns " + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column);
    }
}
