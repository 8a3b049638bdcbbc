package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;

/** The task-specific top of the model: final hidden states in, logits out. */
public interface Head {

    /**
     * Logits {@code [predictions, outputs]} for the batch. Token-level heads predict at {@code positions}
     * (indices into the N hidden rows; null = all, in order); the sequence head predicts one row per
     * sequence and ignores positions.
     */
    INDArray forward(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c);

    /**
     * Eval-mode logits at every prediction row written into {@code out} (of the shape {@link #forward} returns with
     * null positions); by default a copy of {@link #forward}'s workspace result.
     */
    default void forwardInto(INDArray hidden, MiniBatch batch, BatchContext c, INDArray out) {
        out.assign(forward(hidden, batch, null, c));
    }

    /**
     * Logits for inference written into {@code out}: at {@code positions} for token-level heads (null = every row, as
     * {@link #forward} takes them), one row per sequence for the sequence head; nothing kept for backward. By default a
     * copy of {@link #forward}'s result.
     */
    default void infer(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c, INDArray out) {
        out.assign(forward(hidden, batch, positions, c));
    }

    /** Adds the head's parameter gradients for {@code dLogits} and writes {@code dHidden [N, d]} (overwritten). */
    void backward(INDArray hidden, MiniBatch batch, int[] positions, INDArray dLogits, INDArray dHidden, BatchContext c);
}
