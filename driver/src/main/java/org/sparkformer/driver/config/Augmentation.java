package org.sparkformer.driver.config;

/**
 * EDA-style text augmentation of training examples only (validation and test data are never augmented);
 * every draw is seeded from the job seed and the record. Every default is in {@code conf/default.yaml}.
 *
 * @param synonymReplacement share of words replaced by a WordNet synonym; needs wordnetDir
 * @param randomInsertion    share of words whose synonym is inserted at a random position; needs wordnetDir
 * @param randomSwap         share of words swapped with another random word
 * @param randomDeletion     probability of deleting each word
 * @param copies             augmented copies made of each training example besides the original
 * @param wordnetDir         a WordNet dict directory (data.noun, data.verb, ...), e.g. /usr/share/wordnet
 */
public record Augmentation(double synonymReplacement, double randomInsertion, double randomSwap, double randomDeletion,
                           int copies, String wordnetDir) {

    public Augmentation {
        Checks.fraction("data.augmentation.synonymReplacement", synonymReplacement);
        Checks.fraction("data.augmentation.randomInsertion", randomInsertion);
        Checks.fraction("data.augmentation.randomSwap", randomSwap);
        Checks.fraction("data.augmentation.randomDeletion", randomDeletion);
        Checks.nonNegative("data.augmentation.copies", copies);
    }

    /** True when any augmentation is switched on. */
    public boolean enabled() {
        return copies > 0 && (synonymReplacement > 0 || randomInsertion > 0 || randomSwap > 0 || randomDeletion > 0);
    }
}
