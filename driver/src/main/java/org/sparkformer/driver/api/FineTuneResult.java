package org.sparkformer.driver.api;

import org.sparkformer.data.report.DataReport;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.Map;

/**
 * A fine-tuning run's result.
 *
 * @param model   the classifier (the best validated parameters when validation data was given)
 * @param outcome how training ended
 * @param report  what the training split held
 * @param metrics figures to store with the model (train.loss, validation.accuracy, ...)
 */
public record FineTuneResult(TrainedModel model, TrainingOutcome outcome, DataReport report, Map<String, Double> metrics) {
}
