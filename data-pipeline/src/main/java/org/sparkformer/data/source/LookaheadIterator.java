package org.sparkformer.data.source;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator defined by one method that computes the next element, or null at the end. */
abstract class LookaheadIterator<T> implements Iterator<T> {

    private T next;
    private boolean done;

    /** The next element, or null when there are no more. */
    protected abstract T computeNext();

    @Override
    public final boolean hasNext() {
        if (next == null && !done) {
            next = computeNext();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T result = next;
        next = null;
        return result;
    }
}
