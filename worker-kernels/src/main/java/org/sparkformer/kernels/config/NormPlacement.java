package org.sparkformer.kernels.config;

/** Where each block applies LayerNorm relative to its residual connections. */
public enum NormPlacement {
    /** {@code x + f(LN(x))}, with a final LayerNorm after the last block (GPT-2 style; stable to train). */
    PRE,
    /** {@code LN(x + f(x))} (original Transformer and BERT); no final LayerNorm. */
    POST
}
