/**
 * Distributed evaluation of a model on labelled data or a corpus, the driver's end: each partition's task (on the
 * executor side, {@link org.sparkformer.driver.executor.ClassificationTallyTask}, {@link
 * org.sparkformer.driver.executor.MaskedLmTallyTask}) scores its sequences with an executor-resident model and
 * tallies a mergeable partial ({@link
 * org.sparkformer.driver.executor.ClassificationTally}, {@link
 * org.sparkformer.driver.executor.LanguageModelTally}); the partials meet in a {@code treeAggregate}, so no
 * prediction travels to the driver. {@link org.sparkformer.driver.evaluation.Evaluator} is the entry point
 * for the evaluate job and for per-epoch validation while fine-tuning; {@link
 * org.sparkformer.driver.evaluation.ClassificationMetrics} and {@link
 * org.sparkformer.driver.evaluation.LanguageModelMetrics} turn the merged tallies into figures and JSON.
 */
package org.sparkformer.driver.evaluation;
