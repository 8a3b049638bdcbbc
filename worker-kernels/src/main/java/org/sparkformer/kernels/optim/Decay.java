package org.sparkformer.kernels.optim;

/** Shape of the learning rate after warmup. */
public enum Decay {
    /** Stay at the peak learning rate. */
    CONSTANT,
    /** Fall linearly towards 0 at totalSteps. */
    LINEAR,
    /** Follow half a cosine towards 0 at totalSteps. */
    COSINE
}
