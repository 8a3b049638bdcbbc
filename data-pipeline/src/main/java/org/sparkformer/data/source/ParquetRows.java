package org.sparkformer.data.source;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads chosen columns of Parquet files through Spark SQL, with each row's file and 1-based row number taken from
 * Spark's hidden {@code _metadata} column. Selected values come back as strings (null when absent).
 */
final class ParquetRows {

    private ParquetRows() {
    }

    /** Rows of (value of each column as text..., file, 1-based row) for every Parquet file {@code paths} names. */
    static Dataset<Row> select(SparkSession spark, String paths, List<String> columns) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> files = InputFiles.expand(paths, jsc.hadoopConfiguration());
        Dataset<Row> frame = spark.read().parquet(files.toArray(String[]::new));
        List<String> present = Arrays.asList(frame.columns());
        for (String column : columns) {
            if (!present.contains(column)) {
                throw new IllegalArgumentException("Parquet input '" + paths + "' has no column '" + column
                        + "' (columns: " + String.join(", ", present) + ")");
            }
        }
        return frame.select(columns.stream().map(c -> col(c).cast("string")).toArray(org.apache.spark.sql.Column[]::new))
                .withColumn("__file", col("_metadata.file_path"))
                .withColumn("__row", col("_metadata.row_index").plus(1));
    }

    /** The file of a row from {@link #select}. */
    static String file(Row row, int columns) {
        return row.getString(columns);
    }

    /** The 1-based row number of a row from {@link #select}. */
    static long rowNumber(Row row, int columns) {
        return row.getLong(columns + 1);
    }
}
