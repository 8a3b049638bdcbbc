package org.sparkformer.driver.evaluation.baseline;

import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.Map;

/** The label most frequent in the training split, predicted for every input (ties: the label that sorts first). */
public final class MajorityClass<X> implements Baseline<X> {

    private final String label;

    public MajorityClass(String label) {
        this.label = label;
    }

    /** Counts the labels of {@code train} on the executors and keeps the most frequent. */
    public static <X> MajorityClass<X> fit(JavaRDD<Example<X>> train) {
        Map<String, Long> counts = train.mapToPair(e -> new Tuple2<>(e.label(), 1L)).reduceByKey(Long::sum).collectAsMap();
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("the training split holds no labelled example to fit a baseline on");
        }
        return new MajorityClass<>(mostFrequent(counts));
    }

    /** The key with the highest count; among equal counts the one that sorts first. */
    static String mostFrequent(Map<String, Long> counts) {
        String best = null;
        long bestCount = -1;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (better(e.getKey(), e.getValue(), best, bestCount)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    /** True when ({@code label}, {@code count}) beats ({@code best}, {@code bestCount}): more often, or as often and sorts first. */
    static boolean better(String label, long count, String best, long bestCount) {
        return count > bestCount || count == bestCount && (best == null || label.compareTo(best) < 0);
    }

    public String label() {
        return label;
    }

    @Override
    public String key() {
        return "majority";
    }

    @Override
    public String description() {
        return "majority";
    }

    @Override
    public String predict(X input) {
        return label;
    }
}
