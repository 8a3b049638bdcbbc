/**
 * Counter-based random numbers: {@link org.sparkformer.kernels.random.SplitMix64} derives seeds from tuples of longs
 * and turns a (seed, index) pair into a uniform or a normal number, so that every random choice of a job (initial
 * values, dropout masks, the data pipeline's masking and order, the driver's partition seeds) follows from its
 * coordinates alone, whatever the threads, partitions or call order.
 */
package org.sparkformer.kernels.random;
