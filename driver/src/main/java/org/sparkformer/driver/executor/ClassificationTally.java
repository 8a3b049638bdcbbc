package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * What a partition contributes to classification metrics: the confusion matrix over labelled positions (one per
 * sequence, or one per word for taggers), the cross-entropy sum over the same positions and the sequence count.
 * Mergeable, and a plain class so Kryo can carry it as a task result.
 */
public final class ClassificationTally implements Serializable {

    private final ConfusionMatrix matrix;
    private final LossSum loss;
    private long sequences;

    public ClassificationTally(int numLabels) {
        this.matrix = new ConfusionMatrix(numLabels);
        this.loss = new LossSum();
    }

    /** Records one labelled position: its gold label, the logits the model gave it, and its predicted label. */
    public void add(int gold, float[] logits) {
        int predicted = Scores.argmax(logits);
        matrix.add(gold, predicted);
        loss.add(Scores.crossEntropy(logits, gold), 1);
    }

    public void countSequence() {
        sequences++;
    }

    public ClassificationTally merge(ClassificationTally other) {
        matrix.merge(other.matrix);
        loss.merge(other.loss);
        sequences += other.sequences;
        return this;
    }

    public ConfusionMatrix matrix() {
        return matrix;
    }

    public LossSum loss() {
        return loss;
    }

    public long sequences() {
        return sequences;
    }
}
