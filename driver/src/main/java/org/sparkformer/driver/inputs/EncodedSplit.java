package org.sparkformer.driver.inputs;

import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.ReadResult;

import java.util.EnumMap;
import java.util.Map;

/**
 * A split read and encoded: the read (with its skip counts) and the encoded sequences (with theirs,
 * e.g. unknown labels).
 */
public record EncodedSplit(ReadResult<?> read, ReadResult<EncodedSequence> sequences) {

    /** Records skipped while reading and while encoding, by reason. */
    public Map<BadRecordReason, Long> skippedByReason() {
        Map<BadRecordReason, Long> all = new EnumMap<>(BadRecordReason.class);
        read.skippedByReason().forEach((r, n) -> all.merge(r, n, Long::sum));
        sequences.skippedByReason().forEach((r, n) -> all.merge(r, n, Long::sum));
        return all;
    }

    /** Releases what reading and encoding persisted. */
    public void unpersist() {
        sequences.unpersist();
        read.unpersist();
    }
}
