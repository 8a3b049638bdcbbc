package org.sparkformer.data.source;

import java.io.Serializable;
import java.util.function.Function;

/**
 * Either a good record or a bad one that was skipped (and logged with its file and line, {@link SkipLog}). Readers produce outcomes rather than dropping bad records so
 * that the skipped ones can be counted exactly by an aggregate, without accumulators that double-count on retries.
 *
 * @param value the record, or null when bad
 * @param bad   the rejected record, or null when good
 */
public record Outcome<T>(T value, BadRecord bad) implements Serializable {

    public static <T> Outcome<T> good(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> skipped(BadRecord bad) {
        return new Outcome<>(null, bad);
    }

    /**
     * The outcome for a bad record under {@code policy}: a skipped outcome, or a thrown {@link BadRecordException}.
     */
    public static <T> Outcome<T> reject(BadRecord bad, BadRecordPolicy policy) {
        if (policy == BadRecordPolicy.FAIL) {
            throw bad.toException();
        }
        SkipLog.skipped(bad);
        return skipped(bad);
    }

    public boolean isGood() {
        return bad == null;
    }

    /** Maps a good value to a new outcome; a bad one passes through unchanged. */
    @SuppressWarnings("unchecked")
    public <U> Outcome<U> then(Function<T, Outcome<U>> step) {
        return isGood() ? step.apply(value) : (Outcome<U>) this;
    }
}
