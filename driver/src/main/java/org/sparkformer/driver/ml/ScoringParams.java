package org.sparkformer.driver.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The parameters the classifier and its model share (the text column, the three output columns and the batch size),
 * with their getters, as Spark's own shared-parameter traits ({@code HasInputCol}, ...) give them. Each stage makes
 * the parameters with {@link ClassifierParams} and keeps its own chained setters.
 */
public interface ScoringParams extends Params {

    Param<String> textCol();

    Param<String> predictionCol();

    Param<String> predictedLabelCol();

    Param<String> probabilityCol();

    IntParam batchSize();

    default String getTextCol() {
        return getOrDefault(textCol());
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default String getPredictedLabelCol() {
        return getOrDefault(predictedLabelCol());
    }

    default String getProbabilityCol() {
        return getOrDefault(probabilityCol());
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }
}
