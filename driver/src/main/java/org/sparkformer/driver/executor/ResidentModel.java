package org.sparkformer.driver.executor;

import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

/**
 * A model kept in an executor JVM between tasks ({@link ExecutorModelCache}): built once per configuration (and
 * concurrent task), and handed new parameters only when a task brings a different broadcast.
 */
public final class ResidentModel {

    private final TransformerModel model;
    private long loadedBroadcast = -1;

    private ResidentModel(TransformerModel model) {
        this.model = model;
    }

    /** Borrows a resident model of {@code shared}'s configuration holding {@code shared}'s parameters. */
    public static ExecutorModelCache.Lease<ResidentModel> lease(SharedModel shared) {
        ExecutorModelCache.Lease<ResidentModel> lease = ExecutorModelCache.lease(shared.cacheKey(), ResidentModel.class,
                () -> new ResidentModel(new TransformerModel(TransformerConfig.fromJson(shared.configJson()))));
        lease.model().holdParametersOf(shared);
        return lease;
    }

    private void holdParametersOf(SharedModel shared) {
        if (loadedBroadcast != shared.params().id()) {
            model.loadParameters(shared.params().value());
            loadedBroadcast = shared.params().id();
        }
    }

    public TransformerModel model() {
        return model;
    }
}
