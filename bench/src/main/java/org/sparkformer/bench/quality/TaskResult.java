package org.sparkformer.bench.quality;

import java.util.Map;

/**
 * What the protocol measured on one task.
 *
 * @param task             the task
 * @param trainExamples    labelled training examples (texts, or sentences for token tasks)
 * @param pretrained       fine-tuned from the pretrained encoder: the model's score
 * @param fresh            fine-tuned from fresh weights
 * @param baselines        baseline accuracy by key (fitted on train, scored on test by the evaluate job)
 * @param shuffledAccuracy test accuracy of the pretrained model with each sentence's words shuffled; NaN for
 *                         sequence tasks
 * @param pretrainSeconds  wall time of the pretraining the task started from (shared with its data set's tasks)
 */
record TaskResult(QualityTask task, long trainExamples, TrainedRun pretrained, TrainedRun fresh,
                  Map<String, Double> baselines, double shuffledAccuracy, double pretrainSeconds) {
}
