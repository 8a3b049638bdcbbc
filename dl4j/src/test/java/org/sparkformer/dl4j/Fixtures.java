package org.sparkformer.dl4j;

import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.testing.Batches;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;


/** Small configurations and seeded padded batches for the DL4J layer tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** vocab 13, maxLength 8, d 8, 2 layers, 2 heads, dFf 12, no dropout, untied, initStd 0.3 (gradients well away from 0). */
    static TransformerConfig micro(Task task, NormPlacement norm, AttentionMode attention) {
        int labels = task.isLanguageModel() ? 0 : 3;
        return new TransformerConfig(13, 8, 8, 2, 2, 12, 0.0, 0.0, Activation.GELU, PositionalEncoding.LEARNED, norm,
                attention, task, labels, Pooling.CLS, false, 0.3, 7L, false, WordPooling.FIRST);
    }

    /**
     * The smallest useful model, for DL4J's gradient check, which perturbs every parameter: vocab 6, maxLength 5,
     * d 4, 2 layers, 2 heads, dFf 4, otherwise as {@link #micro}.
     */
    static TransformerConfig nano(Task task, NormPlacement norm, AttentionMode attention) {
        int labels = task.isLanguageModel() ? 0 : 3;
        return new TransformerConfig(6, 5, 4, 2, 2, 4, 0.0, 0.0, Activation.GELU, PositionalEncoding.LEARNED, norm,
                attention, task, labels, Pooling.CLS, false, 0.3, 7L, false, WordPooling.FIRST);
    }

    /** Rows of {@code lengths} real tokens then padding (id 0); labels per row, or on about half the real tokens. */
    static MiniBatch batch(TransformerConfig cfg, int seqLen, int[] lengths, long seed) {
        return Batches.random(cfg, seqLen, lengths, seed);
    }

    static MiniBatch padded(TransformerConfig cfg, long seed) {
        return batch(cfg, 6, new int[] {6, 4, 3}, seed);
    }
}
