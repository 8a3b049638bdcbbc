package org.sparkformer.data.augment;

import java.io.Serializable;

/**
 * EDA settings. Each rate is the share of an example's words an operation touches (at least one word when the rate
 * is above zero); deletion drops each word with its rate.
 *
 * @param synonymReplacement rate of words replaced by a WordNet synonym
 * @param randomInsertion    rate of synonyms of random words inserted at random positions
 * @param randomSwap         rate of random word-pair swaps
 * @param randomDeletion     probability that each word is deleted (one word always remains)
 * @param copies             augmented copies per example (0 disables augmentation)
 * @param seed               job seed
 * @param wordnetDir         directory holding WordNet {@code data.noun}, {@code data.verb}, ... files, or null; without
 *                           it the synonym operations are disabled
 */
public record AugmentationConfig(double synonymReplacement, double randomInsertion, double randomSwap,
                                 double randomDeletion, int copies, long seed, String wordnetDir) implements Serializable {

    public AugmentationConfig {
        for (double rate : new double[] {synonymReplacement, randomInsertion, randomSwap, randomDeletion}) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("augmentation rates must be in [0, 1], got sr " + synonymReplacement
                        + ", ri " + randomInsertion + ", rs " + randomSwap + ", rd " + randomDeletion);
            }
        }
        if (copies < 0) {
            throw new IllegalArgumentException("augmentation copies must be >= 0, got " + copies);
        }
    }

    /** No augmentation (the default). */
    public static AugmentationConfig off() {
        return new AugmentationConfig(0, 0, 0, 0, 0, 0, null);
    }

    /** The EDA paper's setting: all four operations at rate 0.1. */
    public static AugmentationConfig eda(int copies, long seed, String wordnetDir) {
        return new AugmentationConfig(0.1, 0.1, 0.1, 0.1, copies, seed, wordnetDir);
    }

    public boolean enabled() {
        return copies > 0 && (synonymReplacement > 0 || randomInsertion > 0 || randomSwap > 0 || randomDeletion > 0);
    }
}
