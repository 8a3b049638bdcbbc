package org.sparkformer.data.source;

import java.util.Iterator;

/**
 * The records of one file's lines, in order: a bad line passes on at once as a skipped record (under the fail policy
 * it has already been thrown), and each good line goes to {@link #onLine}, which returns the record it completes or
 * null when it completes none (a header, a line inside a sentence or document). What the file leaves when its lines
 * run out comes from {@link #atEnd}.
 */
abstract class LineRecords<T> extends LookaheadIterator<Outcome<T>> {

    private final Iterator<Outcome<Line>> lines;

    LineRecords(Iterator<Outcome<Line>> lines) {
        this.lines = lines;
    }

    /** The record {@code line} completes, or null when it completes none. */
    protected abstract Outcome<T> onLine(Line line);

    /** The record left when the lines run out (the last sentence or document), or null; none by default. */
    protected Outcome<T> atEnd() {
        return null;
    }

    @Override
    protected final Outcome<T> computeNext() {
        while (lines.hasNext()) {
            Outcome<Line> outcome = lines.next();
            if (!outcome.isGood()) {
                return Outcome.skipped(outcome.bad());
            }
            Outcome<T> record = onLine(outcome.value());
            if (record != null) {
                return record;
            }
        }
        return atEnd();
    }
}
