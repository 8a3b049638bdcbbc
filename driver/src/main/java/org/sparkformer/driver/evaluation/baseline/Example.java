package org.sparkformer.driver.evaluation.baseline;

import java.io.Serializable;

/**
 * One labelled example as a baseline sees it: the lower-cased words of a text with its label (sequence tasks), or
 * one lower-cased word with its tag (token tasks). A plain class, so Spark's Kryo serializer can carry it.
 *
 * @param <X> the input: a list of words, or one word
 */
public final class Example<X> implements Serializable {

    private final X input;
    private final String label;

    public Example(X input, String label) {
        this.input = input;
        this.label = label;
    }

    public X input() {
        return input;
    }

    public String label() {
        return label;
    }
}
