package org.sparkformer.kernels.config;

/** How sequence classification reduces a sequence to one vector. */
public enum Pooling {
    /** The final hidden state at position 0 (the [CLS] token). */
    CLS,
    /** The mean of the final hidden states over non-padding positions. */
    MEAN
}
