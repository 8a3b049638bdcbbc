/**
 * The Spark side of Sparkformer: the command line ({@code cli}) and Java API ({@code api}, {@code ml}) that start a
 * job on the driver, the driver's work of reading inputs, planning rounds, averaging, evaluating and saving, and, in
 * {@code executor}, the executor side: the models an executor keeps between tasks, the training of a partition,
 * scoring with a resident model, and a task's end of a round. A driver package may use the executor side; the
 * executor side uses no driver package.
 *
 * <h2>Words</h2>
 * <dl>
 *   <dt>driver, executor, task</dt>
 *   <dd>Spark's: the JVM that runs the job, the JVMs that run its tasks, one unit of work on one partition. "On the
 *   executor" means inside a task.</dd>
 *   <dt>partition, worker</dt>
 *   <dd>The training data is cut into {@code training.workers} partitions; each round every partition is trained
 *   by one task, its worker.</dd>
 *   <dt>round, K</dt>
 *   <dd>One parameter-averaging step: the driver hands out parameters and optimizer state, each worker takes K
 *   ({@code training.averagingFrequency}) optimizer steps on its partition, and the driver averages the results.</dd>
 *   <dt>resident model</dt>
 *   <dd>A model kept built in an executor JVM between tasks ({@code ExecutorModelCache}): a
 *   {@code ResidentTrainingModel} while training, a {@code ResidentInferenceModel} while evaluating or predicting.</dd>
 *   <dt>broadcast model</dt>
 *   <dd>A model as the driver ships it to tasks for inference, its configuration in the closure and its parameters as
 *   one Spark broadcast ({@code BroadcastInferenceModel}).</dd>
 *   <dt>trained model</dt>
 *   <dd>What a training run returns and a model directory holds, on the driver: configuration, tokenizer,
 *   vocabulary, labels and parameters ({@code TrainedModel}); the Spark ML {@code SparkformerClassificationModel}
 *   wraps one.</dd>
 *   <dt>split, encoded split</dt>
 *   <dd>The corpus, train, validation or test data as the configuration's data section names it, read with its skip
 *   counts ({@code SplitReader}) and then encoded into token sequences for a model ({@code EncodedSplit}).</dd>
 *   <dt>job, run</dt>
 *   <dd>A job is one sub-command's work around its output directory ({@code jobs}); a run is one training from start
 *   to finish, resumable from its checkpoints.</dd>
 * </dl>
 */
package org.sparkformer.driver;
