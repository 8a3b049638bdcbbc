package org.sparkformer.data.source;

import java.io.Serializable;

/**
 * A rejected input record: where it is (file and 1-based line, or row for Parquet) and what is wrong with it.
 *
 * @param file   the file the record came from
 * @param line   1-based line (or row) number within the file
 * @param reason the kind of problem, used for counting skipped records
 * @param detail the problem in words, for error messages
 */
public record BadRecord(String file, long line, BadRecordReason reason, String detail) implements Serializable {

    /** "file:line: reason: detail", the form every bad-record message takes. */
    public String describe() {
        return file + ":" + line + ": " + reason.description() + ": " + detail;
    }

    /** The exception that fails the job under {@link BadRecordPolicy#FAIL}. */
    public BadRecordException toException() {
        return new BadRecordException(this);
    }
}
