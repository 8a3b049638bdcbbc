package org.sparkformer.driver.executor;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkformer.kernels.config.TransformerConfig;

import java.io.Serializable;

/**
 * A model as Spark tasks receive it: the configuration as JSON (small, travels in the closure) and the flat
 * parameters as a broadcast (sent once per executor). {@link ResidentInferenceModel#lease} turns it into a built model on
 * the executor.
 */
public final class BroadcastInferenceModel implements Serializable {

    private final String configJson;
    private final Broadcast<float[]> params;

    private BroadcastInferenceModel(String configJson, Broadcast<float[]> params) {
        this.configJson = configJson;
        this.params = params;
    }

    /** Broadcasts {@code params} of a model of {@code config}. */
    public static BroadcastInferenceModel broadcast(JavaSparkContext jsc, TransformerConfig config, float[] params) {
        return new BroadcastInferenceModel(config.toJson(), jsc.broadcast(params));
    }

    public String configJson() {
        return configJson;
    }

    /** The executor cache key: models of one configuration share a pool whatever their parameters. */
    public String cacheKey() {
        return "inference-" + Integer.toHexString(configJson.hashCode());
    }

    Broadcast<float[]> params() {
        return params;
    }

    /** Frees the broadcast parameters on the executors and the driver. */
    public void release() {
        params.destroy();
    }
}
