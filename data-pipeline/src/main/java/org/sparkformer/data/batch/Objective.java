package org.sparkformer.data.batch;

import java.util.Locale;

/** What the labels of a minibatch are. */
public enum Objective {
    /** Per-token: original ids at masked positions, IGNORE elsewhere (inputs are masked). */
    MASKED_LM,
    /** Per-token: the next token's id, IGNORE at the last real position and in padding. */
    CAUSAL_LM,
    /** Per-row: the sequence label. */
    SEQUENCE_CLASSIFICATION,
    /** Per-token: the tag at each word's first sub-token, IGNORE elsewhere. */
    TOKEN_CLASSIFICATION;

    public static Objective parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("objective must be masked_lm, causal_lm, sequence_classification or "
                    + "token_classification, got '" + value + "'");
        }
    }
}
