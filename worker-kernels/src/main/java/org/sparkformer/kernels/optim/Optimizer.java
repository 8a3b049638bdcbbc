package org.sparkformer.kernels.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/** An update rule over flat parameter and gradient buffers, with its own flat state. */
public interface Optimizer {

    /**
     * Updates {@code params} in place from {@code grads}.
     *
     * @param lr   learning rate for this step (from the schedule)
     * @param step 1-based number of this update (Adam bias correction uses it)
     */
    default void step(INDArray params, INDArray grads, double lr, long step) {
        step(params, grads, 1.0, lr, step);
    }

    /**
     * Updates {@code params} in place from {@code gradScale * grads}, the scale rounded to the gradients' precision
     * and applied to each gradient as it is read, as {@code grads.muli(gradScale)} would (gradient clipping without a
     * pass of its own); {@code grads} itself is left as it is.
     *
     * @param lr   learning rate for this step (from the schedule)
     * @param step 1-based number of this update (Adam bias correction uses it)
     */
    void step(INDArray params, INDArray grads, double gradScale, double lr, long step);

    /** The live flat optimizer state (empty for stateless rules). */
    INDArray state();

    /** Replaces the state by a copy of {@code state}, which must have the length of {@link #state()}. */
    void loadState(INDArray state);

    /** Builds the optimizer {@code config} names for parameters with {@code decayMask} (1 = decay, 0 = none). */
    static Optimizer create(OptimizerConfig config, INDArray decayMask) {
        return switch (config.kind()) {
            case ADAMW -> new Adam(config, decayMask, true);
            case ADAM -> new Adam(config, decayMask, false);
            case SGD -> new Sgd(config, decayMask);
        };
    }
}
