package org.sparkformer.driver.api;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.Map;

/**
 * A pretraining run's result.
 *
 * @param model   the pretrained masked-LM model
 * @param outcome how training ended
 * @param report  what the corpus held
 * @param metrics figures to store with the model (e.g. train.loss, train.perplexity)
 */
public record PretrainResult(TrainedModel model, TrainingOutcome outcome, DataReport report, Map<String, Double> metrics) {

    /** The figures of every round: loss, learning rate, tokens/s. */
    public TrainingHistory history() {
        return outcome.history();
    }

    /** {@link #history()} as a DataFrame, one row per round ({@link TrainingHistory#schema()}). */
    public Dataset<Row> history(SparkSession spark) {
        return outcome.history().toDataFrame(spark);
    }
}
