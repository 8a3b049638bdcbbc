package org.sparkformer.driver.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sparkformer.driver.executor.ClassificationTally;
import org.sparkformer.driver.executor.ConfusionMatrix;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassificationMetricsTest {

    private static final float LN2 = (float) Math.log(2);
    /** (gold, predicted) pairs; the matrix is a:[2,1,0] b:[0,1,1] c:[1,0,2]. */
    private static final int[][] PAIRS = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 2}, {2, 0}};

    /** Logits ln2 at the predicted label, 0 elsewhere: probability 2/(2 + n-1) for it. */
    private static ClassificationTally tally(int numLabels, int[][] pairs) {
        ClassificationTally tally = new ClassificationTally(numLabels);
        for (int[] pair : pairs) {
            float[] logits = new float[numLabels];
            logits[pair[1]] = LN2;
            tally.add(pair[0], logits);
            tally.countSequence();
        }
        return tally;
    }

    @Test
    void figuresMatchAHandComputedExample() {
        ClassificationMetrics m = new ClassificationMetrics(List.of("a", "b", "c"), tally(3, PAIRS));

        assertEquals(8, m.examples());
        assertEquals(5.0 / 8, m.accuracy(), 1e-12);
        assertEquals(2.0 / 3, m.precision(0), 1e-12);
        assertEquals(2.0 / 3, m.recall(0), 1e-12);
        assertEquals(0.5, m.precision(1), 1e-12);
        assertEquals(0.5, m.recall(1), 1e-12);
        assertEquals(0.5, m.f1(1), 1e-12);
        assertEquals(2.0 / 3, m.f1(2), 1e-12);
        assertEquals(3, m.support(2));
        assertEquals((2.0 / 3 + 0.5 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
        // correct: -log(2/4) = ln2; wrong: -log(1/4) = 2 ln2; 5 correct, 3 wrong
        assertEquals(11.0 / 8 * Math.log(2), m.loss(), 1e-6);
        assertEquals(1, m.confusionMatrix().count(2, 0));
        assertEquals(0, m.confusionMatrix().count(0, 2));
    }

    @Test
    void macroF1IgnoresLabelsNeitherSeenNorPredicted() {
        ClassificationMetrics m = new ClassificationMetrics(List.of("a", "b", "c", "d"), tally(4, PAIRS));

        assertEquals((2.0 / 3 + 0.5 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
        assertEquals(0.0, m.f1(3));
        assertEquals(0.0, m.precision(3));
    }

    @Test
    void mergedPartialsEqualOneTallyOfEverything() {
        ClassificationTally left = tally(3, java.util.Arrays.copyOfRange(PAIRS, 0, 3));
        ClassificationTally right = tally(3, java.util.Arrays.copyOfRange(PAIRS, 3, PAIRS.length));
        ClassificationMetrics merged = new ClassificationMetrics(List.of("a", "b", "c"), left.merge(right));
        ClassificationMetrics whole = new ClassificationMetrics(List.of("a", "b", "c"), tally(3, PAIRS));

        assertEquals(whole.toJson(), merged.toJson());
        assertEquals(8, merged.sequences());
    }

    @Test
    void jsonNamesLabelsInAFixedKeyOrder() {
        ObjectNode json = new ClassificationMetrics(List.of("a", "b", "c"), tally(3, PAIRS)).toJson();

        assertEquals(List.of("examples", "sequences", "loss", "accuracy", "macroF1", "macroF1Averaging", "perClass", "confusionMatrix"),
                iterable(json.fieldNames()));
        assertEquals(List.of("precision", "recall", "f1", "support"), iterable(json.get("perClass").get("b").fieldNames()));
        assertEquals(2, json.get("confusionMatrix").get("a").get("a").asLong());
        assertEquals(1, json.get("confusionMatrix").get("a").get("b").asLong());
        assertEquals(1, json.get("confusionMatrix").get("c").get("a").asLong());
        assertEquals(0.625, json.get("accuracy").asDouble(), 1e-12);
    }

    @Test
    void emptyEvaluationHasNullLossAndZeroAccuracy() {
        ObjectNode json = new ClassificationMetrics(List.of("a", "b"), new ClassificationTally(2)).toJson();

        assertEquals(0, json.get("examples").asLong());
        assertEquals(true, json.get("loss").isNull());
        assertEquals(0.0, json.get("accuracy").asDouble());
    }

    @Test
    void outOfRangeLabelsAreRefused() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(0, 2));
        assertEquals("predicted label 2 is outside [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.merge(new ConfusionMatrix(3)));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
