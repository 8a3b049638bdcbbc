package org.sparkformer.kernels.optim;

/** Which update rule the optimizer applies. */
public enum OptimizerKind {
    /** Adam with decoupled weight decay (Loshchilov and Hutter). */
    ADAMW,
    /** Adam with weight decay as an L2 term added to the gradient. */
    ADAM,
    /** Plain stochastic gradient descent (no momentum), weight decay as an L2 term. */
    SGD
}
