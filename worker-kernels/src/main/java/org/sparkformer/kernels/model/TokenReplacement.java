package org.sparkformer.kernels.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.layers.ReplacedTokenHead;
import org.sparkformer.kernels.random.SplitMix64;

/**
 * The generator's half of replaced-token detection: every masked position of a masked-LM batch gets a token drawn
 * from the model's own masked-LM distribution there, and every real position is labelled original or replaced. A
 * draw that happens to be the original token counts as original, as in ELECTRA.
 */
final class TokenReplacement {

    private TokenReplacement() {
    }

    /** The corrupted batch and its detection labels (IGNORE on padding). */
    record Corrupted(MiniBatch batch, int[] labels) {
    }

    /**
     * Draws, for each masked-LM target {@code positions[i]} (original token {@code originals[i]}), a token from the
     * softmax of {@code logits} row i, by inverse CDF from a uniform derived from {@code seed} and i.
     */
    static Corrupted draw(MiniBatch batch, int[] positions, int[] originals, INDArray logits, long seed) {
        int[] ids = batch.tokenIds().clone();
        int[] mask = batch.attentionMask();
        HostArray l = HostArray.of(logits);
        int vocab = Math.toIntExact(logits.columns());
        double[] row = new double[vocab];
        float[] staging = new float[vocab];
        for (int i = 0; i < positions.length; i++) {
            l.read(i * vocab, row, vocab, staging);
            ids[positions[i]] = sample(row, SplitMix64.uniform(seed, i));
        }
        int[] labels = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            labels[p] = mask[p] == 0 ? MiniBatch.IGNORE : ReplacedTokenHead.ORIGINAL;
        }
        for (int i = 0; i < positions.length; i++) {
            labels[positions[i]] = ids[positions[i]] == originals[i] ? ReplacedTokenHead.ORIGINAL : ReplacedTokenHead.REPLACED;
        }
        return new Corrupted(new MiniBatch(batch.rows(), batch.seqLen(), ids, mask, labels), labels);
    }

    /** The index where the cumulative softmax of {@code logits} first exceeds {@code u} in [0, 1). */
    static int sample(double[] logits, double u) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (double v : logits) {
            total += Math.exp(v - max);
        }
        double threshold = u * total;
        double cumulative = 0;
        for (int k = 0; k < logits.length; k++) {
            cumulative += Math.exp(logits[k] - max);
            if (cumulative > threshold) {
                return k;
            }
        }
        return logits.length - 1;
    }
}
