package org.sparkformer.kernels.config;

/** What the model head predicts, which fixes the label layout of a minibatch. */
public enum Task {
    /** Predict the original token at masked positions; labels per token, output size vocabSize. */
    MASKED_LM,
    /** Predict the next token; labels per token (the label at position i is the token after i); needs causal attention. */
    CAUSAL_LM,
    /** One label per sequence from a pooled representation; output size numLabels. */
    SEQUENCE_CLASSIFICATION,
    /** One label per token; output size numLabels. */
    TOKEN_CLASSIFICATION;

    /** True for the two language-model tasks whose outputs range over the vocabulary. */
    public boolean isLanguageModel() {
        return this == MASKED_LM || this == CAUSAL_LM;
    }
}
