/**
 * The Java API a notebook or application calls: {@link org.sparkformer.driver.api.Pretrainer} and
 * {@link org.sparkformer.driver.api.FineTuner} take a Spark session and a configuration and
 * {@code fit()} a {@link org.sparkformer.driver.modeldir.TrainedModel}; both run through
 * {@link org.sparkformer.driver.training.ShardedTraining}, the one place that shards data, plans rounds,
 * resumes from checkpoints and runs the distributed training loop.
 */
package org.sparkformer.driver.api;
