package org.sparkformer.driver.executor;

import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.train.LocalTrainer;

/**
 * A model and its local trainer as an executor keeps them between rounds: built once per executor JVM
 * (and per concurrent task), then only handed new parameters and optimizer state each round.
 */
public final class ResidentTrainingModel {

    private final TransformerModel model;
    private final LocalTrainer trainer;

    private ResidentTrainingModel(TransformerModel model, LocalTrainer trainer) {
        this.model = model;
        this.trainer = trainer;
    }

    /** Builds the model (frozen parts fixed before the optimizer sees it) and its trainer. */
    public static ResidentTrainingModel build(TransformerConfig model, OptimizerConfig optimizer, FreezeSpec freeze) {
        TransformerModel m = new TransformerModel(model);
        if (freeze.any()) {
            m.setFrozen(freeze.embeddings(), freeze.lowerLayers());
        }
        return new ResidentTrainingModel(m, new LocalTrainer(m, optimizer));
    }

    public TransformerModel model() {
        return model;
    }

    public LocalTrainer trainer() {
        return trainer;
    }
}
