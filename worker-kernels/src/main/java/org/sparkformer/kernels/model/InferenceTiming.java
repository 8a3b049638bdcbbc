package org.sparkformer.kernels.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Wall time of inference as the benchmark reports it: {@link Inference#logits(MiniBatch, INDArray)} (the model's
 * {@link TransformerModel#inference()} path) over a fixed list of batches, each into an output buffer allocated before
 * timing and reused, so only the model's own work is timed. Tokens per second are the batches' real (unpadded) tokens
 * over that time.
 */
public final class InferenceTiming {

    private final TransformerModel model;
    private final List<MiniBatch> batches;
    private final List<INDArray> outputs = new ArrayList<>();
    private final long tokens;

    /** Allocates one output buffer per batch (a first, untimed pass). */
    public InferenceTiming(TransformerModel model, List<MiniBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("inference timing needs at least one batch");
        }
        this.model = model;
        this.batches = List.copyOf(batches);
        long n = 0;
        for (MiniBatch b : batches) {
            outputs.add(model.inference().logits(b));
            n += b.realTokens();
        }
        this.tokens = n;
    }

    /** Seconds of one pass over every batch. */
    public double passSeconds() {
        long start = System.nanoTime();
        for (int i = 0; i < batches.size(); i++) {
            model.inference().logits(batches.get(i), outputs.get(i));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Real tokens in one pass. */
    public long tokens() {
        return tokens;
    }
}
