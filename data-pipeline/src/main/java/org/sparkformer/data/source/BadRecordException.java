package org.sparkformer.data.source;

/**
 * Thrown when a bad record is met under {@link BadRecordPolicy#FAIL}. The message names file, line and problem;
 * Spark wraps it in a {@code SparkException} whose message carries this one, and {@link #findIn(Throwable)} digs it
 * out of the cause chain.
 */
public final class BadRecordException extends RuntimeException {

    private final String file;
    private final long line;
    private final BadRecordReason reason;

    public BadRecordException(BadRecord record) {
        super(record.describe());
        this.file = record.file();
        this.line = record.line();
        this.reason = record.reason();
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public BadRecordReason reason() {
        return reason;
    }

    /** The first BadRecordException in the cause chain of {@code t}, or null. */
    public static BadRecordException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadRecordException b) {
                return b;
            }
        }
        return null;
    }
}
