package org.sparkformer.driver.ml;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.SparkformerConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the training stages' parameters map onto a {@link SparkformerConfig}, in one place for every estimator: the
 * configuration keys each parameter sets, and its default, read from the built-in configuration
 * ({@code conf/default.yaml}). A stage has some of these parameters; only those it has are used.
 */
final class TrainingParams {

    /** A parameter's configuration keys and its default. */
    private record Mapping(List<String> keys, Function<SparkformerConfig, Object> defaultOf) {
    }

    private static final Map<String, Mapping> MAPPINGS = new LinkedHashMap<>();

    static {
        MAPPINGS.put("epochs", new Mapping(List.of("training.epochs"), c -> c.training().epochs()));
        MAPPINGS.put("learningRate", new Mapping(List.of("training.lr"), c -> c.training().lr()));
        MAPPINGS.put("batchSize", new Mapping(List.of("training.batchSize"), c -> c.training().batchSize()));
        MAPPINGS.put("workers", new Mapping(List.of("training.workers"), c -> c.training().workers()));
        MAPPINGS.put("averagingFrequency", new Mapping(List.of("training.averagingFrequency"),
                c -> c.training().averagingFrequency()));
        MAPPINGS.put("maxLength", new Mapping(List.of("data.maxLength", "model.maxLength"), c -> c.data().maxLength()));
        MAPPINGS.put("vocabSize", new Mapping(List.of("data.vocabSize"), c -> c.data().vocabSize()));
        MAPPINGS.put("preset", new Mapping(List.of("model.preset"), c -> c.model().preset()));
        MAPPINGS.put("seed", new Mapping(List.of("training.seed", "model.seed"), c -> c.training().seed()));
        MAPPINGS.put("maskProbability", new Mapping(List.of("data.maskProbability"), c -> c.data().maskProbability()));
    }

    private TrainingParams() {
    }

    /** Sets the default of each of these parameters {@code stage} has to the built-in configuration's value. */
    static void setDefaults(Params stage) {
        SparkformerConfig defaults = SparkformerConfig.defaults();
        MAPPINGS.forEach((name, mapping) -> {
            if (stage.hasParam(name)) {
                @SuppressWarnings("unchecked")
                Param<Object> param = (Param<Object>) stage.getParam(name);
                stage.setDefault(param, mapping.defaultOf().apply(defaults));
            }
        });
    }

    /**
     * The configuration {@code stage} trains with: the defaults, then {@code configPath} when not null, then each of
     * these parameters set on the stage, then {@code fixed} ("key=value", what the stage itself implies, e.g. its task).
     */
    static SparkformerConfig config(Params stage, String configPath, String... fixed) {
        ConfigLoader loader = new ConfigLoader();
        if (configPath != null) {
            loader.add(ConfigLoader.Source.file(java.nio.file.Path.of(configPath)));
        }
        List<String> overrides = new ArrayList<>();
        MAPPINGS.forEach((name, mapping) -> {
            if (stage.hasParam(name) && stage.isSet(stage.getParam(name))) {
                Object value = stage.get(stage.getParam(name)).get();
                mapping.keys().forEach(key -> overrides.add(key + "=" + value));
            }
        });
        overrides.addAll(List.of(fixed));
        return loader.set(overrides).build().config();
    }
}
