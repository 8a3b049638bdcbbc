package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * What a partition contributes to masked-LM metrics: the cross-entropy sum over masked positions, the real tokens
 * and the sequences scored. Mergeable, and a plain class so Kryo can carry it as a task result.
 */
public final class LanguageModelTally implements Serializable {

    private final LossSum loss = new LossSum();
    private long tokens;
    private long sequences;

    /** Records one batch: its mean loss over {@code maskedPositions} positions, its real tokens and rows. */
    public void addBatch(double meanLoss, long maskedPositions, long realTokens, long rows) {
        loss.add(meanLoss * maskedPositions, maskedPositions);
        tokens += realTokens;
        sequences += rows;
    }

    public LanguageModelTally merge(LanguageModelTally other) {
        loss.merge(other.loss);
        tokens += other.tokens;
        sequences += other.sequences;
        return this;
    }

    public LossSum loss() {
        return loss;
    }

    public long tokens() {
        return tokens;
    }

    public long sequences() {
        return sequences;
    }
}
