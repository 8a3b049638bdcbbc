/**
 * Distributed training of the worker-kernels Transformer, on the driver: {@link
 * org.sparkformer.driver.training.ShardedTraining}, what pretraining and fine-tuning share (shard the data, plan the
 * rounds, start fresh or from a checkpoint of the same settings and {@link org.sparkformer.driver.training.RunInputs
 * inputs}), the mapping from the run configuration to the kernels' configuration
 * ({@link org.sparkformer.driver.training.KernelSettings}), the round schedule, and {@link
 * org.sparkformer.driver.training.DistributedTrainer}, the one loop both run (rounds of parameter averaging,
 * listeners, checkpoints, validation hooks). The trainer each task runs is the executor side's {@code
 * TransformerPartitionTrainer}.
 */
package org.sparkformer.driver.training;
