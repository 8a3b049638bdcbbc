/**
 * Simple baselines beside every classifier score, so a user sees at once whether the Transformer earns its cost:
 * the majority class (every task), multinomial naive Bayes over lower-cased words with add-one smoothing (sequence
 * tasks) and the most frequent tag of each lower-cased word (token tasks). Each is fitted on the training split with
 * aggregations over its records on the executors and scored on the evaluated split in one pass ({@link
 * org.sparkformer.driver.evaluation.baseline.BaselineScoring}); {@link
 * org.sparkformer.driver.evaluation.baseline.TaskBaselines} picks the baselines of a task and reads the splits.
 * Every choice is deterministic: ties go to the label that sorts first.
 */
package org.sparkformer.driver.evaluation.baseline;
