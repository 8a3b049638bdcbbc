package org.sparkformer.kernels.config;

/**
 * How token classification turns the sub-token states of a word into the one vector it tags. A word starts at a
 * labelled position and runs to the next labelled position or to the row's last real token ([SEP]), exclusive.
 */
public enum WordPooling {
    /** The final hidden state of the word's first sub-token. */
    FIRST,
    /** The mean of the final hidden states of all the word's sub-tokens. */
    MEAN
}
