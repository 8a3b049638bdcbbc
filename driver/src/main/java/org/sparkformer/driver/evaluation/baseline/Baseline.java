package org.sparkformer.driver.evaluation.baseline;

import java.io.Serializable;

/**
 * A fitted baseline: a label for an input, from counts over the training split.
 *
 * @param <X> the input of one example: the words of a text, or one word
 */
public interface Baseline<X> extends Serializable {

    /** The key of its figures in metrics JSON, e.g. {@code mostFrequentTag}. */
    String key();

    /** Its name in logs and tables, e.g. {@code most-frequent tag}. */
    String description();

    String predict(X input);
}
