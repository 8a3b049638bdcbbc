package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a running job is given: its request, the Spark session, and its locked output directory.
 *
 * @param outputFs the file system of {@code output}
 * @param output   the output directory, qualified; the job owns it while it runs
 */
public record JobContext(JobRequest request, SparkSession spark, FileSystem outputFs, Path output) {
}
