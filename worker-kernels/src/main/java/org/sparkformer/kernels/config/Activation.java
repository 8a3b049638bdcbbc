package org.sparkformer.kernels.config;

/** Non-linearity of the position-wise feed-forward network and of the masked-LM head transform. */
public enum Activation {
    /** Gaussian error linear unit in its sigmoid form {@code x * sigmoid(1.702 x)} (Hendrycks and Gimpel). */
    GELU,
    /** Rectified linear unit {@code max(0, x)}. */
    RELU
}
