package org.sparkformer.driver.config;

/**
 * EDA-style text augmentation of training examples only (validation and test data are never augmented);
 * every draw is seeded from the job seed and the record.
 *
 * @param synonymReplacement share of words replaced by a WordNet synonym; needs wordnetDir (default 0: off)
 * @param randomInsertion    share of words whose synonym is inserted at a random position; needs wordnetDir (default 0)
 * @param randomSwap         share of words swapped with another random word (default 0)
 * @param randomDeletion     probability of deleting each word (default 0)
 * @param copies             augmented copies made of each training example besides the original (default 0: off)
 * @param wordnetDir         a WordNet dict directory (data.noun, data.verb, ...), e.g. /usr/share/wordnet (default null)
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

    public static Augmentation defaults() {
        return new Augmentation(0.0, 0.0, 0.0, 0.0, 0, null);
    }

    /** True when any augmentation is switched on. */
    public boolean enabled() {
        return copies > 0 && (synonymReplacement > 0 || randomInsertion > 0 || randomSwap > 0 || randomDeletion > 0);
    }
}
