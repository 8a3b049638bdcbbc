package org.sparkformer.driver.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparkformer.driver.executor.ClassificationTally;
import org.sparkformer.driver.executor.ConfusionMatrix;

import java.util.List;

/**
 * Classification figures from a merged {@link ClassificationTally}, with the labels named. An example is a labelled
 * position: a sequence for sequence classification, a word (its first sub-token) for token classification, so a
 * tagger's accuracy is word-level.
 *
 * <ul>
 *   <li>precision = tp / predicted, recall = tp / support, F1 = 2PR / (P + R); each 0 when its denominator is 0;</li>
 *   <li>macro-F1: the mean F1 over the labels that occur as gold or as prediction (labels absent from both do not
 *       drag the mean down);</li>
 *   <li>loss: mean cross-entropy over the examples (NaN, written as null, when there are none).</li>
 * </ul>
 */
public final class ClassificationMetrics {

    /** How {@link #macroF1()} averages, as metrics JSON states it beside the figure. */
    public static final String MACRO_F1_AVERAGING = "mean over the labels present in the truth or the predictions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> labels;
    private final ConfusionMatrix matrix;
    private final double loss;
    private final long sequences;

    public ClassificationMetrics(List<String> labels, ClassificationTally tally) {
        this.labels = List.copyOf(labels);
        this.matrix = tally.matrix();
        if (matrix.size() != labels.size()) {
            throw new IllegalArgumentException(labels.size() + " label names for a " + matrix.size() + "-label tally");
        }
        this.loss = tally.loss().mean();
        this.sequences = tally.sequences();
    }

    public List<String> labels() {
        return labels;
    }

    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    /** Labelled positions scored: sequences, or words for taggers. */
    public long examples() {
        return matrix.total();
    }

    public long sequences() {
        return sequences;
    }

    public double loss() {
        return loss;
    }

    public double accuracy() {
        long total = matrix.total();
        return total == 0 ? 0.0 : (double) matrix.correct() / total;
    }

    public double precision(int label) {
        long predicted = matrix.predicted(label);
        return predicted == 0 ? 0.0 : (double) matrix.count(label, label) / predicted;
    }

    public double recall(int label) {
        long support = matrix.support(label);
        return support == 0 ? 0.0 : (double) matrix.count(label, label) / support;
    }

    public double f1(int label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    public long support(int label) {
        return matrix.support(label);
    }

    public double macroF1() {
        double sum = 0;
        int present = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (matrix.support(i) > 0 || matrix.predicted(i) > 0) {
                sum += f1(i);
                present++;
            }
        }
        return present == 0 ? 0.0 : sum / present;
    }

    /**
     * The figures as JSON, keys in a fixed order: examples, sequences, loss, accuracy, macroF1, macroF1Averaging, perClass (label ->
     * precision, recall, f1, support, in label order) and confusionMatrix (gold label -> predicted label -> count).
     */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("examples", examples());
        root.put("sequences", sequences);
        MetricsJson.putNumber(root, "loss", loss);
        root.put("accuracy", accuracy());
        root.put("macroF1", macroF1());
        root.put("macroF1Averaging", MACRO_F1_AVERAGING);
        ObjectNode perClass = root.putObject("perClass");
        for (int i = 0; i < labels.size(); i++) {
            ObjectNode c = perClass.putObject(labels.get(i));
            c.put("precision", precision(i));
            c.put("recall", recall(i));
            c.put("f1", f1(i));
            c.put("support", support(i));
        }
        ObjectNode confusion = root.putObject("confusionMatrix");
        for (int g = 0; g < labels.size(); g++) {
            ObjectNode row = confusion.putObject(labels.get(g));
            for (int p = 0; p < labels.size(); p++) {
                row.put(labels.get(p), matrix.count(g, p));
            }
        }
        return root;
    }
}
