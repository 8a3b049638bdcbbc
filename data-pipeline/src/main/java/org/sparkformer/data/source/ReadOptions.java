package org.sparkformer.data.source;

import java.io.Serializable;

/**
 * How text is read.
 *
 * @param maxLineChars longest accepted line in characters; longer lines are bad records ({@link
 *                     BadRecordReason#LINE_TOO_LONG}), never silently dropped or truncated
 * @param policy       what happens to bad records
 */
public record ReadOptions(int maxLineChars, BadRecordPolicy policy) implements Serializable {

    public static final int DEFAULT_MAX_LINE_CHARS = 100_000;

    public ReadOptions {
        if (maxLineChars <= 0) {
            throw new IllegalArgumentException("maxLineChars must be > 0, got " + maxLineChars);
        }
        if (policy == null) {
            throw new IllegalArgumentException("bad-record policy must be given");
        }
    }

    public static ReadOptions of(BadRecordPolicy policy) {
        return new ReadOptions(DEFAULT_MAX_LINE_CHARS, policy);
    }

    public ReadOptions withMaxLineChars(int chars) {
        return new ReadOptions(chars, policy);
    }
}
