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
 * org.sparkformer.driver.executor.FloatWire}, {@link org.sparkformer.driver.executor.ChannelProtocol}, and the channel's authentication with Spark's secret,
 * {@link org.sparkformer.driver.executor.ChannelAuth}) are defined here and read by the driver's end. The tasks of evaluation, prediction and the Spark ML transform are here too:
 * {@link org.sparkformer.driver.executor.ClassificationTallyTask} and {@link
 * org.sparkformer.driver.executor.MaskedLmTallyTask} score a partition and return one mergeable tally ({@link
 * org.sparkformer.driver.executor.ClassificationTally}, {@link org.sparkformer.driver.executor.LanguageModelTally}),
 * {@link org.sparkformer.driver.executor.PredictionTask} turns a partition's {@link
 * org.sparkformer.driver.executor.PredictionInput}s into output rows as {@link
 * org.sparkformer.driver.executor.PredictionRows} lays them out, {@link org.sparkformer.driver.executor.RowScorer}
 * appends a DataFrame row's scores, {@link org.sparkformer.driver.executor.RowTagger} a row of words' tags and
 * {@link org.sparkformer.driver.executor.RowEmbedder} a row's embedding (mean-pooled final hidden states, {@link
 * org.sparkformer.driver.executor.BatchEmbedder}); {@link org.sparkformer.driver.executor.Scores} says what a row of logits means,
 * for all of them alike. {@link org.sparkformer.driver.executor.TaskFaults} names the points inside a round's task where
 * the fault-injection suites fail an attempt (during local training, after the result was sent). Nothing here imports the driver side: the driver's packages hand tasks their work from here
 * and read back what they send.
 */
package org.sparkformer.driver.executor;
