/**
 * The quality benchmark ({@code scripts/quality}): a fixed protocol, run from a clean output directory, that
 * fine-tunes each task from fresh weights and from an encoder pretrained on the task's unlabelled text, chooses on
 * the dev split (early stopping) and reports the test split once: the model's score beside the baselines of {@link
 * org.sparkformer.driver.evaluation.baseline} (the evaluate job's own figures, on the same split), wall time and
 * tokens trained; for token tasks also the test score with the words of each sentence shuffled ({@link
 * org.sparkformer.bench.quality.WordShuffle}), so a tagger that ignores word order shows at once. The jobs run through
 * the command line in one JVM and one local Spark session; the table and one JSON line record the machine, the
 * commit, the configuration and the budget.
 */
package org.sparkformer.bench.quality;
