package org.sparkformer.driver.evaluation.baseline;

import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multinomial naive Bayes over the lower-cased words of a text, with add-one smoothing: the label c maximising
 * <pre>
 *   log P(c) + sum over the text's words w of log((n(c, w) + 1) / (n(c) + V))
 * </pre>
 * where P(c) is the share of training texts labelled c, n(c, w) the times w occurs in them, n(c) their word count
 * and V the number of distinct training words. Words the training split does not hold are left out, as a
 * vocabulary fitted on it would; among equal scores the label that sorts first wins.
 */
public final class NaiveBayes implements Baseline<List<String>> {

    private final String[] labels;
    private final double[] logPrior;
    private final double[] logDenominator;
    private final HashMap<String, long[]> wordCounts;

    private NaiveBayes(String[] labels, double[] logPrior, double[] logDenominator, HashMap<String, long[]> wordCounts) {
        this.labels = labels;
        this.logPrior = logPrior;
        this.logDenominator = logDenominator;
        this.wordCounts = wordCounts;
    }

    /**
     * Counts texts per label and (word, label) pairs on the executors; the sparse pair counts reach the driver (at
     * most one entry per distinct word and label).
     */
    public static NaiveBayes fit(JavaRDD<Example<List<String>>> train) {
        Map<String, Long> texts = train.mapToPair(e -> new Tuple2<>(e.label(), 1L)).reduceByKey(Long::sum).collectAsMap();
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("the training split holds no labelled example to fit a baseline on");
        }
        List<Tuple2<Tuple2<String, String>, Long>> pairs = train
                .flatMapToPair(e -> {
                    List<Tuple2<Tuple2<String, String>, Long>> out = new ArrayList<>(e.input().size());
                    for (String w : e.input()) {
                        out.add(new Tuple2<>(new Tuple2<>(w, e.label()), 1L));
                    }
                    return out.iterator();
                })
                .reduceByKey(Long::sum)
                .collect();
        String[] labels = texts.keySet().stream().sorted().toArray(String[]::new);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            index.put(labels[i], i);
        }
        HashMap<String, long[]> wordCounts = new HashMap<>();
        long[] wordsPerLabel = new long[labels.length];
        for (Tuple2<Tuple2<String, String>, Long> p : pairs) {
            int c = index.get(p._1()._2());
            wordCounts.computeIfAbsent(p._1()._1(), w -> new long[labels.length])[c] += p._2();
            wordsPerLabel[c] += p._2();
        }
        long totalTexts = texts.values().stream().mapToLong(Long::longValue).sum();
        double[] logPrior = new double[labels.length];
        double[] logDenominator = new double[labels.length];
        for (int c = 0; c < labels.length; c++) {
            logPrior[c] = Math.log((double) texts.get(labels[c]) / totalTexts);
            logDenominator[c] = Math.log(wordsPerLabel[c] + (double) wordCounts.size());
        }
        return new NaiveBayes(labels, logPrior, logDenominator, wordCounts);
    }

    /** Log P(c) + sum of log P(w | c) for each label c, in label order. */
    double[] scores(List<String> words) {
        double[] score = logPrior.clone();
        for (String w : words) {
            long[] counts = wordCounts.get(w);
            if (counts == null) {
                continue;
            }
            for (int c = 0; c < labels.length; c++) {
                score[c] += Math.log(counts[c] + 1.0) - logDenominator[c];
            }
        }
        return score;
    }

    @Override
    public String key() {
        return "naiveBayes";
    }

    @Override
    public String description() {
        return "naive Bayes";
    }

    @Override
    public String predict(List<String> words) {
        double[] score = scores(words);
        int best = 0;
        for (int c = 1; c < score.length; c++) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return labels[best];
    }
}
