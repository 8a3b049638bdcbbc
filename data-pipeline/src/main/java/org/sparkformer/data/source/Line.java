package org.sparkformer.data.source;

import java.io.Serializable;

/**
 * One decoded line of a text file with its provenance.
 *
 * @param file   fully qualified path of the file
 * @param number 1-based line number
 * @param text   the line without its terminator
 */
public record Line(String file, long number, String text) implements Serializable {

    public boolean isBlank() {
        return text.isBlank();
    }

    /** A bad record at this line. */
    public BadRecord bad(BadRecordReason reason, String detail) {
        return new BadRecord(file, number, reason, detail);
    }
}
