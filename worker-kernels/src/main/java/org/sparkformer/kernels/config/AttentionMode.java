package org.sparkformer.kernels.config;

/** Which keys a query position may attend to (padding keys are always excluded). */
public enum AttentionMode {
    /** Every non-padding position. */
    BIDIRECTIONAL,
    /** Only positions {@code j <= i}. */
    CAUSAL
}
