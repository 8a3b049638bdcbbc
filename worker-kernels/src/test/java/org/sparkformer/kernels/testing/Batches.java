package org.sparkformer.kernels.testing;

import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;

import java.util.Random;

/** Shared fixtures of the kernel tests: small configs and seeded random minibatches with padding. */
public final class Batches {

    private Batches() {
    }

    /** A very small model: vocab 13, maxLength 8, d 8, 2 layers, 2 heads, dFf 12, no dropout. */
    public static TransformerConfig micro(Task task, NormPlacement norm, AttentionMode attention) {
        int labels = task.isLanguageModel() ? 0 : 3;
        return new TransformerConfig(13, 8, 8, 2, 2, 12, 0.0, 0.0, Activation.GELU, PositionalEncoding.LEARNED, norm,
                attention, task, labels, Pooling.CLS, true, 0.02, 7L, false, WordPooling.FIRST);
    }

    /**
     * Random tokens; row r has {@code lengths[r]} real tokens then padding (id 0). Labels fit the task: per row for
     * sequence classification, else per token on about half of the real positions (always at least one).
     */
    public static MiniBatch random(TransformerConfig cfg, int seqLen, int[] lengths, long seed) {
        Random random = new Random(seed);
        int rows = lengths.length;
        int[] tokens = new int[rows * seqLen];
        int[] mask = new int[rows * seqLen];
        boolean perRow = cfg.task() == Task.SEQUENCE_CLASSIFICATION;
        int[] labels = new int[perRow ? rows : rows * seqLen];
        java.util.Arrays.fill(labels, MiniBatch.IGNORE);
        int outputs = cfg.outputSize();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < seqLen; i++) {
                int at = r * seqLen + i;
                if (i < lengths[r]) {
                    tokens[at] = 1 + random.nextInt(cfg.vocabSize() - 1);
                    mask[at] = 1;
                    if (!perRow && (i == 0 || random.nextBoolean())) {
                        labels[at] = random.nextInt(outputs);
                    }
                }
            }
            if (perRow) {
                labels[r] = random.nextInt(outputs);
            }
        }
        return new MiniBatch(rows, seqLen, tokens, mask, labels);
    }
}
