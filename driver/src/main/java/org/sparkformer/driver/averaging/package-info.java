/**
 * The driver's end of a parameter-averaging round, independent of the model: serve the parameters and optimizer
 * state from the driver's {@link org.sparkformer.driver.averaging.RoundChannel} (or broadcast them), run one task per
 * partition (the task's end is {@code org.sparkformer.driver.executor}), and average the partitions' results weighted
 * by examples seen, reduced in partition-id order so the result is bit-identical whatever order tasks finish in and
 * whether tasks were retried ({@link org.sparkformer.driver.averaging.ParameterAveraging}, {@link
 * org.sparkformer.driver.averaging.OrderedAverager}), with the Spark settings that keep a round's transfers cheap
 * ({@link org.sparkformer.driver.averaging.RoundTransport}) and the limit past which a straggling task is relaunched
 * ({@link org.sparkformer.driver.averaging.StragglerLimit}, {@link org.sparkformer.driver.averaging.StragglerWatch});
 * the channel takes a partition's result only from a task attempt Spark launched for it ({@link
 * org.sparkformer.driver.averaging.LaunchedAttempts}).
 */
package org.sparkformer.driver.averaging;
