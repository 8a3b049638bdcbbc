/**
 * The Spark ML face of Sparkformer. {@link org.sparkformer.driver.ml.SparkformerClassifier}, an {@code Estimator}
 * over a DataFrame's text and label columns, fits a {@link org.sparkformer.driver.ml.SparkformerClassificationModel},
 * a {@code Transformer} that adds Spark's usual {@code probability} and {@code prediction} columns (plus the label
 * itself). {@link org.sparkformer.driver.ml.SparkformerTagger}, over array-of-words and array-of-tags columns, fits
 * a {@link org.sparkformer.driver.ml.SparkformerTaggingModel} that adds each word's predicted tag and its
 * probability. {@link org.sparkformer.driver.ml.SparkformerPretrainer} pretrains an encoder by masked-language
 * modelling on a text column; the {@link org.sparkformer.driver.ml.SparkformerEncoderModel} it fits embeds text
 * into a {@code Vector} column and is the starting point of the classifier and the tagger ({@code setPretrained},
 * {@link org.sparkformer.driver.ml.PretrainedStart}). Models score by batched inference with the model resident on
 * each executor (the tasks, {@link org.sparkformer.driver.executor.RowScorer}, {@link
 * org.sparkformer.driver.executor.RowTagger} and {@link org.sparkformer.driver.executor.RowEmbedder}, are the
 * executor side's). Every stage is configured through Spark ML {@code Param}s whose defaults are the built-in configuration's
 * ({@link org.sparkformer.driver.ml.TrainingParams}), works inside {@code Pipeline}s, {@code CrossValidator} and
 * {@code ParamGridBuilder}, and saves and loads the {@code MLWritable} way: Spark's JSON parameter metadata next to an
 * ordinary Sparkformer model directory.
 */
package org.sparkformer.driver.ml;
