/**
 * The Spark ML face of Sparkformer: {@link org.sparkformer.driver.ml.SparkformerClassifier}, an {@code Estimator}
 * over a DataFrame's text and label columns, and the {@link org.sparkformer.driver.ml.SparkformerClassificationModel}
 * it fits, a {@code Transformer} that adds Spark's usual {@code probability} and {@code prediction} columns (plus the
 * label itself) by batched inference with the model resident on each executor (the task, {@link
 * org.sparkformer.driver.executor.RowScorer}, is the executor side's). Both are configured through Spark ML
 * {@code Param}s, work inside {@code Pipeline}s, {@code CrossValidator} and {@code ParamGridBuilder}, and save and load
 * the {@code MLWritable} way: Spark's JSON parameter metadata next to an ordinary Sparkformer model directory.
 */
package org.sparkformer.driver.ml;
