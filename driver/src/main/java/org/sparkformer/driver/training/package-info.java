/**
 * Distributed training of the worker-kernels Transformer: the mapping from the run configuration to
 * the kernels' configuration, the per-partition trainer that runs inside Spark tasks with its model
 * kept resident in the executor, the round schedule, and {@link org.sparkformer.driver.training.DistributedTrainer},
 * the one loop pretraining and fine-tuning share (rounds of parameter averaging, listeners, checkpoints,
 * validation hooks).
 */
package org.sparkformer.driver.training;
