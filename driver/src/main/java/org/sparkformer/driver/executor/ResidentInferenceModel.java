package org.sparkformer.driver.executor;

import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

/**
 * A model kept in an executor JVM between tasks ({@link ExecutorModelCache}): built once per configuration (and
 * concurrent task), and handed new parameters only when a task brings a different broadcast.
 */
public final class ResidentInferenceModel {

    private final TransformerModel model;
    private long loadedBroadcast = -1;

    private ResidentInferenceModel(TransformerModel model) {
        this.model = model;
    }

    /** Borrows a resident model of {@code shared}'s configuration holding {@code shared}'s parameters. */
    public static ExecutorModelCache.Lease<ResidentInferenceModel> lease(BroadcastInferenceModel shared) {
        ExecutorModelCache.Lease<ResidentInferenceModel> lease = ExecutorModelCache.lease(shared.cacheKey(), ResidentInferenceModel.class,
                () -> new ResidentInferenceModel(new TransformerModel(TransformerConfig.fromJson(shared.configJson()))));
        lease.model().holdParametersOf(shared);
        return lease;
    }

    private void holdParametersOf(BroadcastInferenceModel shared) {
        if (loadedBroadcast != shared.params().id()) {
            model.loadParameters(shared.params().value());
            loadedBroadcast = shared.params().id();
        }
    }

    public TransformerModel model() {
        return model;
    }
}
