package org.sparkformer.driver.averaging;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Local training on one partition during one round. Runs inside a Spark task; must not keep references
 * to {@code params} or {@code optState} after returning (they are the task's own copies).
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
     * @param optState  the averaged optimizer state (a private copy; empty when the optimizer has none)
     * @param seed      seed for this (job, round, partition); use it for every random choice
     * @return the parameters and state after local training, with the examples seen as weight
     */
    PartialResult train(int partition, Iterator<T> data, float[] params, float[] optState, long seed) throws Exception;
}
