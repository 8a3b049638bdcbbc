package org.sparkformer.bench.quality;

import java.util.List;

/**
 * One task of the protocol: its labelled splits, the configuration it fine-tunes with, and the pretraining it shares
 * with the other tasks of its data set.
 *
 * @param name     e.g. {@code upos}
 * @param token    one tag per word (CoNLL) rather than one label per text
 * @param configs  configuration files layered over the defaults (may be empty)
 * @param settings --set overrides: the splits, the corpus, the budget's epochs
 * @param shuffledTest the test split with each sentence's words shuffled (the order test of a token task), or null
 * @param pretrain the pretraining it starts from
 */
record QualityTask(String name, boolean token, List<String> configs, List<String> settings, String shuffledTest,
                   Pretraining pretrain) {

    /**
     * Masked-LM pretraining shared by the tasks of one data set.
     *
     * @param name     e.g. {@code wordnet}
     * @param configs  configuration files layered over the defaults
     * @param settings --set overrides: the corpus and the budget's epochs
     */
    record Pretraining(String name, List<String> configs, List<String> settings) {
    }
}
