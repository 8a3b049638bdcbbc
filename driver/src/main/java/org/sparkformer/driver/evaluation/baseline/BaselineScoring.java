package org.sparkformer.driver.evaluation.baseline;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores fitted baselines on a split in one pass: the baselines are broadcast, each partition counts the examples
 * each one labels right, and the counts meet in a {@code treeAggregate}. Accuracy = right / examples.
 */
public final class BaselineScoring {

    private BaselineScoring() {
    }

    public static <X> BaselineReport score(List<Baseline<X>> baselines, JavaRDD<Example<X>> split, String fittedOn,
                                           String scoredOn) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(split.context());
        Broadcast<ArrayList<Baseline<X>>> shared = jsc.broadcast(new ArrayList<>(baselines));
        int n = baselines.size();
        try {
            BaselineTally tally = split
                    .mapPartitions(it -> {
                        List<Baseline<X>> fitted = shared.value();
                        BaselineTally t = new BaselineTally(n);
                        while (it.hasNext()) {
                            Example<X> e = it.next();
                            for (int b = 0; b < n; b++) {
                                t.add(b, fitted.get(b).predict(e.input()).equals(e.label()));
                            }
                            t.countExample();
                        }
                        return List.of(t).iterator();
                    })
                    .treeAggregate(new BaselineTally(n), BaselineTally::merge, BaselineTally::merge);
            List<BaselineReport.Score> scores = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                long examples = tally.examples();
                double accuracy = examples == 0 ? 0.0 : (double) tally.correct(b) / examples;
                scores.add(new BaselineReport.Score(baselines.get(b).key(), baselines.get(b).description(), accuracy));
            }
            return BaselineReport.scored(scores, tally.examples(), fittedOn, scoredOn);
        } finally {
            shared.destroy();
        }
    }
}
