package org.sparkformer.data.source;

/** Why an input record was rejected; skipped records are counted under these reasons. */
public enum BadRecordReason {
    INVALID_UTF8("invalid UTF-8"),
    EMPTY_RECORD("empty record"),
    LINE_TOO_LONG("line too long"),
    UNKNOWN_LABEL("unknown label"),
    MALFORMED_CONLL("malformed CoNLL line"),
    MALFORMED_JSON("malformed JSON"),
    MALFORMED_CSV("malformed CSV line"),
    MISSING_COLUMN("missing column"),
    TOO_MANY_FIELDS("too many fields"),
    WRONG_TYPE("wrong type"),
    TRUNCATED_FILE("truncated compressed file"),
    UNREADABLE_FILE("unreadable file");

    private final String description;

    BadRecordReason(String description) {
        this.description = description;
    }

    /** Words for people, as used in error messages and reports. */
    public String description() {
        return description;
    }
}
