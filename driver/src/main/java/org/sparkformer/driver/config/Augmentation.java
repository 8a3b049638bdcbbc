package org.sparkformer.driver.config;

/**
 * Text augmentation applied to training examples only, each draw seeded from (job seed, epoch, record).
 *
 * @param wordDropout probability of deleting each word (default 0: off)
 * @param wordSwap    probability of swapping each word with its right neighbour (default 0: off)
 * @param copies      augmented copies made of each training example in addition to the original (default 0)
 */
public record Augmentation(double wordDropout, double wordSwap, int copies) {

    public Augmentation {
        Checks.fraction("data.augmentation.wordDropout", wordDropout);
        Checks.fraction("data.augmentation.wordSwap", wordSwap);
        Checks.nonNegative("data.augmentation.copies", copies);
    }

    public static Augmentation defaults() {
        return new Augmentation(0.0, 0.0, 0);
    }

    /** True when any augmentation is switched on. */
    public boolean enabled() {
        return copies > 0 && (wordDropout > 0 || wordSwap > 0);
    }
}
