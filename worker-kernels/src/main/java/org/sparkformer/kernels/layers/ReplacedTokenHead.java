package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The discriminator of replaced-token detection (ELECTRA): at every position, two logits, "original" (class 0) and
 * "replaced" (class 1), from the final hidden state, {@code logits = h · Wᵀ + b}. Parameters
 * {@code head.rtd.weight [2, d]} and {@code head.rtd.bias [2]}; pretraining alone uses them, fine-tuning starts
 * its own head.
 */
public final class ReplacedTokenHead {

    /** Label of a position whose token is the one the text had. */
    public static final int ORIGINAL = 0;
    /** Label of a position whose token the generator replaced by another. */
    public static final int REPLACED = 1;

    private final Linear classifier;

    public ReplacedTokenHead(ParameterSet params, int dModel) {
        this.classifier = new Linear(params, "head.rtd", dModel, 2);
    }

    /** Logits {@code [N, 2]} for the hidden states {@code [N, d]} (a workspace buffer). */
    public INDArray forward(INDArray hidden, Workspace ws) {
        INDArray logits = ws.rows("rtd.logits", hidden.rows(), 2);
        classifier.forward(hidden, logits);
        return logits;
    }

    /** Adds the head's parameter gradients for {@code dLogits [N, 2]} and writes {@code dHidden [N, d]}. */
    public void backward(INDArray hidden, INDArray dLogits, INDArray dHidden) {
        classifier.backward(hidden, dLogits, dHidden, false);
    }
}
