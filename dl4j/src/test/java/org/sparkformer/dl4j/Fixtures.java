package org.sparkformer.dl4j;

import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;

import java.util.Arrays;
import java.util.Random;

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
        Random random = new Random(seed);
        int rows = lengths.length;
        int[] tokens = new int[rows * seqLen];
        int[] mask = new int[rows * seqLen];
        boolean perRow = cfg.task() == Task.SEQUENCE_CLASSIFICATION;
        int[] labels = new int[perRow ? rows : rows * seqLen];
        Arrays.fill(labels, MiniBatch.IGNORE);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < lengths[r]; i++) {
                int at = r * seqLen + i;
                tokens[at] = 1 + random.nextInt(cfg.vocabSize() - 1);
                mask[at] = 1;
                if (!perRow && (i == 0 || random.nextBoolean())) {
                    labels[at] = random.nextInt(cfg.outputSize());
                }
            }
            if (perRow) {
                labels[r] = random.nextInt(cfg.outputSize());
            }
        }
        return new MiniBatch(rows, seqLen, tokens, mask, labels);
    }

    static MiniBatch padded(TransformerConfig cfg, long seed) {
        return batch(cfg, 6, new int[] {6, 4, 3}, seed);
    }
}
