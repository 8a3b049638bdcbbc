package org.sparkformer.driver.config;

/** What pretraining teaches the encoder (key {@code pretraining.objective}). */
public enum PretrainingObjective {
    /** Masked-LM: predict the masked 15% of the tokens (BERT). */
    MASKED_LM,
    /**
     * Masked-LM plus replaced-token detection (ELECTRA): the masked positions are filled with the model's own
     * samples and a second pass learns, at every token, whether it was replaced.
     */
    ELECTRA
}
