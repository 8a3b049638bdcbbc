package org.sparkformer.data.batch;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

/**
 * BERT's masked-LM corruption. Of a sequence's non-special tokens, {@code round(selectRate * n)} (at least one) are
 * chosen; each chosen token becomes [MASK] with probability {@code maskRate}, a random non-special token with
 * probability {@code randomRate}, and stays otherwise. Labels are the original ids at chosen positions and {@link
 * MiniBatch#IGNORE} elsewhere. All choices come from the random generator given, so a seed fixes the outcome.
 *
 * @param selectRate share of non-special tokens chosen for prediction
 * @param maskRate   share of chosen tokens replaced by [MASK]
 * @param randomRate share of chosen tokens replaced by a random token
 */
public record MaskingPolicy(double selectRate, double maskRate, double randomRate) implements Serializable {

    public MaskingPolicy {
        if (!(selectRate > 0 && selectRate <= 1)) {
            throw new IllegalArgumentException("selectRate must be in (0, 1], got " + selectRate);
        }
        if (maskRate < 0 || randomRate < 0 || maskRate + randomRate > 1) {
            throw new IllegalArgumentException("maskRate " + maskRate + " and randomRate " + randomRate
                    + " must be >= 0 and sum to at most 1");
        }
    }

    /** 15% chosen; of those 80% [MASK], 10% random, 10% kept. */
    public static MaskingPolicy bert() {
        return bert(0.15);
    }

    /** {@code selectRate} chosen; of those BERT's split: 80% [MASK], 10% random, 10% kept. */
    public static MaskingPolicy bert(double selectRate) {
        return new MaskingPolicy(selectRate, 0.8, 0.1);
    }

    /**
     * Writes the corrupted ids of {@code ids} to {@code inputs} and the labels to {@code labels}, both from {@code
     * offset}.
     */
    public void apply(int[] ids, Vocabulary vocabulary, SplittableRandom random, int[] inputs, int[] labels, int offset) {
        int[] candidates = new int[ids.length];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            inputs[offset + i] = ids[i];
            labels[offset + i] = MiniBatch.IGNORE;
            if (!vocabulary.isSpecial(ids[i])) {
                candidates[n++] = i;
            }
        }
        if (n == 0) {
            return;
        }
        int chosen = (int) Math.max(1, Math.min(n, Math.round(n * selectRate)));
        for (int k = 0; k < chosen; k++) {
            int j = k + random.nextInt(n - k);
            int position = candidates[j];
            candidates[j] = candidates[k];
            candidates[k] = position;
            labels[offset + position] = ids[position];
            double r = random.nextDouble();
            if (r < maskRate) {
                inputs[offset + position] = vocabulary.maskId();
            } else if (r < maskRate + randomRate) {
                inputs[offset + position] = randomToken(vocabulary, random);
            }
        }
    }

    private static int randomToken(Vocabulary vocabulary, SplittableRandom random) {
        while (true) {
            int id = random.nextInt(vocabulary.size());
            if (!vocabulary.isSpecial(id)) {
                return id;
            }
        }
    }
}
