package org.sparkformer.driver.config;

/**
 * The whole run configuration. Cross-section rules live here: data.maxLength fits the model's
 * position table, and frozen layers exist.
 */
public record SparkformerConfig(ModelSection model, DataSection data, TrainingSection training,
                                PretrainingSection pretraining) {

    public SparkformerConfig {
        if (model == null || data == null || training == null || pretraining == null) {
            throw new IllegalArgumentException("model, data, training and pretraining sections must all be present");
        }
        if (data.maxLength() > model.maxLength()) {
            throw new IllegalArgumentException("data.maxLength " + data.maxLength() + " exceeds model.maxLength "
                    + model.maxLength());
        }
        if (training.freezeLayers() > model.layers()) {
            throw new IllegalArgumentException("training.freezeLayers " + training.freezeLayers() + " exceeds model.layers "
                    + model.layers());
        }
    }

    /** Every key at its value in {@code conf/default.yaml}. */
    public static SparkformerConfig defaults() {
        return ConfigLoader.defaults();
    }
}
