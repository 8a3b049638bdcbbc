package org.sparkformer.driver.executor;

import java.io.Serializable;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Local training on one partition during one round. Runs inside a Spark task; must not keep references
 * to {@code params} or the optimizer state after returning (they are the task's own copies).
 *
 * @param <T> the partition's element type, e.g. a minibatch
 */
@FunctionalInterface
public interface PartitionTrainer<T> extends Serializable {

    /**
     * Trains from {@code params} and {@code optState} on {@code data}.
     *
     * @param partition partition index
     * @param data      the partition's elements for this round (never empty: empty partitions are not trained)
     * @param params    the averaged parameters from the previous round (a private copy)
     * @param optState  the averaged optimizer state (a private copy; empty when the optimizer has none), still on its
     *                  way when training starts: {@code get()} blocks until it has arrived, so a trainer asks for it
     *                  as late as it can (before its first update) and its first forward and backward pass hide
     *                  the transfer
     * @param seed      seed for this (job, round, partition); use it for every random choice
     * @return the parameters and state after local training, with the examples seen as weight
     */
    PartialResult train(int partition, Iterator<T> data, float[] params, Supplier<float[]> optState, long seed)
            throws Exception;
}
