/**
 * Running a trained model over data on the executors: the model shipped once per job ({@link
 * org.sparkformer.driver.executor.BroadcastInferenceModel}) and kept built in each executor JVM ({@link
 * org.sparkformer.driver.executor.ResidentInferenceModel}), minibatch scoring shared by evaluation and prediction ({@link
 * org.sparkformer.driver.executor.BatchScorer}, {@link org.sparkformer.driver.inference.Scores}) so both make the
 * same predictions, and batch prediction over any input format ({@link
 * org.sparkformer.driver.inference.PredictionReader}, {@link org.sparkformer.driver.inference.Predictor}) written in
 * the layout {@link org.sparkformer.driver.inference.PredictionRows} documents.
 */
package org.sparkformer.driver.inference;
