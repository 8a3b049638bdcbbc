/**
 * Batch prediction with a trained model, set up on the driver: records read from any input format ({@link
 * org.sparkformer.driver.inference.PredictionReader}), scored on the executors by the model broadcast once per job
 * ({@link org.sparkformer.driver.inference.Predictor}; the task that scores them is the executor side's {@link
 * org.sparkformer.driver.executor.PredictionTask}), and written in the layout {@link
 * org.sparkformer.driver.executor.PredictionRows} documents.
 */
package org.sparkformer.driver.inference;
