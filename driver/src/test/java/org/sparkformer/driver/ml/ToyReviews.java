package org.sparkformer.driver.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * A separable toy task for the Spark ML tests: short reviews whose label ("pos" or "neg") follows from one
 * sentiment word, with an {@code id} column that transforms must keep.
 */
final class ToyReviews {

    private static final String[] POSITIVE = {"good", "great", "nice", "fine", "lovely"};
    private static final String[] NEGATIVE = {"bad", "awful", "poor", "sad", "dull"};
    private static final String[] FRAMES = {"the movie was %s", "a %s film", "the plot is %s", "very %s acting",
            "%s story overall", "it felt %s"};

    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("text", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, false);

    private ToyReviews() {
    }

    /** {@code rows} reviews alternating pos and neg, the same for the same {@code offset}. */
    static Dataset<Row> dataFrame(SparkSession spark, int rows, int offset) {
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int k = i + offset;
            boolean positive = k % 2 == 0;
            String word = (positive ? POSITIVE : NEGATIVE)[(k / 2) % POSITIVE.length];
            String text = String.format(FRAMES[(k / 3) % FRAMES.length], word);
            out.add(RowFactory.create((long) i, text, positive ? "pos" : "neg"));
        }
        return spark.createDataFrame(out, SCHEMA);
    }
}
