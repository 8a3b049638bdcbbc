/**
 * Batch prediction with a trained model, set up on the driver: records read from any input format ({@link
 * org.sparkformer.driver.inference.PredictionReader}), scored on the executors by the model broadcast once per job
 * ({@link org.sparkformer.driver.inference.Predictor}; the scoring itself is the executor side's), and written in the
 * layout {@link org.sparkformer.driver.executor.PredictionRows} documents. {@link
 * org.sparkformer.driver.executor.Scores} says what a row of logits means, for evaluation and prediction alike, so
 * both make the same predictions.
 */
package org.sparkformer.driver.inference;
