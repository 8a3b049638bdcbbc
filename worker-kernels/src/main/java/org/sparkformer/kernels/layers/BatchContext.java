package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.random.SplitMix64;

/**
 * What every layer needs to know about the pass in progress: the batch shape, its buffers, whether dropout is
 * on, the seed dropout masks derive from, the additive attention bias {@code [rows, T*T]} ({@code null}
 * when no key is masked) and the token mask {@code [rows*T]} (1 for a real token, 0 for padding; {@code null} when
 * every position is a real token).
 */
public record BatchContext(int rows, int seqLen, Workspace ws, boolean training, long dropoutSeed, INDArray attentionBias,
                           int[] tokenMask) {

    /** N = rows * T: the number of token positions. */
    public int positions() {
        return rows * seqLen;
    }

    /** Seed of one dropout site, derived from (dropoutSeed, layer name, site). */
    public long seedFor(String layer, int site) {
        return SplitMix64.derive(dropoutSeed, layer.hashCode(), site);
    }
}
