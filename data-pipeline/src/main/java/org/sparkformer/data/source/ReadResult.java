package org.sparkformer.data.source;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.StorageLevel;

/**
 * The records read from an input together with the bad ones that were skipped. The outcomes are persisted so that
 * reading the good records and counting the skipped ones does not read the input twice; counts come from an
 * aggregate over the outcomes and are exact.
 */
public final class ReadResult<T> {

    private final JavaRDD<Outcome<T>> outcomes;
    private Map<BadRecordReason, Long> skipped;

    public ReadResult(JavaRDD<Outcome<T>> outcomes) {
        this.outcomes = outcomes.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** The good records. */
    public JavaRDD<T> records() {
        return outcomes.filter(Outcome::isGood).map(Outcome::value);
    }

    /** Every outcome, good and skipped. */
    public JavaRDD<Outcome<T>> outcomes() {
        return outcomes;
    }

    /** Number of skipped records by reason (computed once; every reason present, zero when none). */
    public Map<BadRecordReason, Long> skippedByReason() {
        if (skipped == null) {
            Map<BadRecordReason, Long> counts = new EnumMap<>(BadRecordReason.class);
            for (BadRecordReason r : BadRecordReason.values()) {
                counts.put(r, 0L);
            }
            outcomes.filter(o -> !o.isGood()).map(o -> o.bad().reason()).countByValue()
                    .forEach((reason, n) -> counts.put(reason, n));
            skipped = counts;
        }
        return skipped;
    }

    /** Total skipped records. */
    public long skippedTotal() {
        return skippedByReason().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Up to {@code n} skipped records, for logs and reports. */
    public List<BadRecord> skippedExamples(int n) {
        return outcomes.filter(o -> !o.isGood()).map(Outcome::bad).take(n);
    }

    /**
     * A further step that may itself reject records (an unknown label, say); records skipped earlier stay counted.
     */
    public <U> ReadResult<U> then(Function<T, Outcome<U>> step) {
        return new ReadResult<>(outcomes.map(o -> o.isGood() ? step.call(o.value()) : Outcome.<U>skipped(o.bad())));
    }

    /** Releases the persisted outcomes. */
    public void unpersist() {
        outcomes.unpersist(false);
    }
}
