/**
 * The executor side: the models an executor keeps between tasks and a task's work with them. A round's task ({@link
 * org.sparkformer.driver.executor.RoundTask}) reads its starting arrays from the driver ({@link
 * org.sparkformer.driver.executor.RoundStart}, {@link org.sparkformer.driver.executor.RoundChannelClient}), trains
 * its partition with a {@link org.sparkformer.driver.executor.PartitionTrainer} and sends back a {@link
 * org.sparkformer.driver.executor.PartitionOutcome}; models stay built in the executor JVM between tasks in {@link
 * org.sparkformer.driver.executor.ExecutorModelCache}, as a {@link
 * org.sparkformer.driver.executor.ResidentTrainingModel} (the Transformer and its local trainer, with the parts a
 * {@link org.sparkformer.driver.executor.FreezeSpec} keeps fixed) or a {@link
 * org.sparkformer.driver.executor.ResidentInferenceModel} that holds the parameters of a {@link
 * org.sparkformer.driver.executor.BroadcastInferenceModel} and scores minibatches ({@link
 * org.sparkformer.driver.executor.BatchScorer}, {@link org.sparkformer.driver.executor.ScoredBatches}). The formats
 * in which arrays travel between a task and the driver ({@link org.sparkformer.driver.executor.PackedFloats}, {@link
 * org.sparkformer.driver.executor.FloatWire}, {@link org.sparkformer.driver.executor.ChannelProtocol}) are defined
 * here and read by the driver's end. Nothing here imports the driver side: the driver's packages hand tasks their
 * work from here and read back what they send; the short task bodies that only read records and tally what these
 * classes return (evaluation's tallies, prediction's rows, the Spark ML transform) stay with their stage.
 */
package org.sparkformer.driver.executor;
