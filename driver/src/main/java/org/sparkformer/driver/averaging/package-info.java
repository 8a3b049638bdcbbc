/**
 * One parameter-averaging round, independent of the model: broadcast parameters and optimizer state,
 * let each partition train locally with a {@link org.sparkformer.driver.executor.PartitionTrainer}, and
 * average the partitions' results weighted by examples seen, reduced in partition-id order so the result
 * is bit-identical whatever order tasks finish in and whether tasks were retried
 * ({@link org.sparkformer.driver.averaging.ParameterAveraging}). Parameters and optimizer state travel both ways
 * packed into little-endian byte arrays ({@link org.sparkformer.driver.executor.PackedFloats}). Executors keep built models between
 * rounds in {@link org.sparkformer.driver.executor.ExecutorModelCache}.
 */
package org.sparkformer.driver.averaging;
