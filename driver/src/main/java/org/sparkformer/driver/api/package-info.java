/**
 * The Java API a notebook or application calls: {@link org.sparkformer.driver.api.Pretrainer} and
 * {@link org.sparkformer.driver.api.FineTuner} take a Spark session and a configuration and {@code fit()} a
 * {@link org.sparkformer.driver.api.PretrainResult} or {@link org.sparkformer.driver.api.FineTuneResult} holding a
 * {@link org.sparkformer.driver.modeldir.TrainedModel}; both train through
 * {@link org.sparkformer.driver.training.ShardedTraining}. Both read the configured files, or take their data in
 * memory (e.g. a DataFrame's rows, as the Spark ML stages hand it over): {@code Pretrainer.setDocuments} for a
 * corpus, {@code FineTuner.setExamples} for texts, {@code FineTuner.setTaggedExamples} for tagged sentences.
 */
package org.sparkformer.driver.api;
