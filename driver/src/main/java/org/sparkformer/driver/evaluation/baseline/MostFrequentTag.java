package org.sparkformer.driver.evaluation.baseline;

import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.HashMap;
import java.util.Map;

/**
 * The tag a lower-cased word carries most often in the training split (ties: the tag that sorts first); words the
 * training split does not hold get the tag most frequent overall.
 */
public final class MostFrequentTag implements Baseline<String> {

    private final HashMap<String, String> tagOfWord;
    private final String fallback;

    public MostFrequentTag(Map<String, String> tagOfWord, String fallback) {
        this.tagOfWord = new HashMap<>(tagOfWord);
        this.fallback = fallback;
    }

    /** Counts (word, tag) pairs on the executors and keeps each word's most frequent tag; one entry per word reaches the driver. */
    public static MostFrequentTag fit(JavaRDD<Example<String>> train) {
        Map<String, String> tags = train
                .mapToPair(e -> new Tuple2<>(new Tuple2<>(e.input(), e.label()), 1L))
                .reduceByKey(Long::sum)
                .mapToPair(wordTag -> new Tuple2<>(wordTag._1()._1(), new Tuple2<>(wordTag._1()._2(), wordTag._2())))
                .reduceByKey((a, b) -> MajorityClass.better(b._1(), b._2(), a._1(), a._2()) ? b : a)
                .mapValues(Tuple2::_1)
                .collectAsMap();
        return new MostFrequentTag(tags, MajorityClass.fit(train).label());
    }

    /** Distinct words seen in training. */
    public int words() {
        return tagOfWord.size();
    }

    @Override
    public String key() {
        return "mostFrequentTag";
    }

    @Override
    public String description() {
        return "most-frequent tag";
    }

    @Override
    public String predict(String word) {
        return tagOfWord.getOrDefault(word, fallback);
    }
}
