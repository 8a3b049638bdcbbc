package org.sparkformer.driver.api;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.driver.evaluation.ClassificationMetrics;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.Map;

/**
 * A fine-tuning run's result.
 *
 * @param model      the classifier (the best validated parameters when validation data was given)
 * @param outcome    how training ended
 * @param report     what the training split held
 * @param metrics    figures to store with the model (train.loss, validation.accuracy, ...)
 * @param validation the classifier's figures on the validation split (its accuracy is validation.accuracy; per class
 *                   precision, recall, F1 and the confusion matrix), or null without validation data
 */
public record FineTuneResult(TrainedModel model, TrainingOutcome outcome, DataReport report, Map<String, Double> metrics,
                             ClassificationMetrics validation) {

    /** The figures of every round: loss, learning rate, tokens/s and, after the rounds that measured it, validation accuracy. */
    public TrainingHistory history() {
        return outcome.history();
    }

    /** {@link #history()} as a DataFrame, one row per round ({@link TrainingHistory#schema()}). */
    public Dataset<Row> history(SparkSession spark) {
        return outcome.history().toDataFrame(spark);
    }
}
