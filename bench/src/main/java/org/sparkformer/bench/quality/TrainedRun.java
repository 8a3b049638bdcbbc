package org.sparkformer.bench.quality;

/**
 * One fine-tuning run and its test evaluation.
 *
 * @param testAccuracy   accuracy on the test split (word accuracy for token tasks)
 * @param devAccuracy    the best dev accuracy, the one early stopping kept (NaN without one)
 * @param seconds        wall time of the fine-tuning job
 * @param tokensTrained  tokens in the minibatches trained on, about: optimizer steps per worker x workers x
 *                       sequences per step x mean tokens per training sequence
 */
record TrainedRun(double testAccuracy, double devAccuracy, double seconds, long tokensTrained) {
}
