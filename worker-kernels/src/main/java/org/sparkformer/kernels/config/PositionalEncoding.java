package org.sparkformer.kernels.config;

/** How token positions enter the model. */
public enum PositionalEncoding {
    /** Fixed sine/cosine table of "Attention Is All You Need"; no parameters. */
    SINUSOIDAL,
    /** A trained table {@code embeddings.position.weight [maxLength, dModel]}. */
    LEARNED
}
