package org.sparkformer.data.source;

import java.util.Locale;

/** What to do with a bad input record: skip it and count it by reason, or fail the job naming the record. */
public enum BadRecordPolicy {
    /** Skip the record and count it under its {@link BadRecordReason}. */
    SKIP,
    /** Fail the job with a {@link BadRecordException} naming file, line and problem. */
    FAIL;

    /** Parses the configuration spelling {@code skip} or {@code fail} (case-insensitive). */
    public static BadRecordPolicy parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "skip" -> SKIP;
            case "fail" -> FAIL;
            default -> throw new IllegalArgumentException("on-bad-record must be 'skip' or 'fail', got '" + value + "'");
        };
    }
}
