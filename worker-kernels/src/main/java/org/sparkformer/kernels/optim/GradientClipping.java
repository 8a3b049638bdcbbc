package org.sparkformer.kernels.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Rescales a flat gradient so that its L2 norm is at most a limit. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales {@code grads} in place by {@code maxNorm / norm} when its L2 norm exceeds {@code maxNorm} (if {@code maxNorm > 0}).
     *
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(INDArray grads, double maxNorm) {
        double norm = grads.norm2Number().doubleValue();
        if (maxNorm > 0 && norm > maxNorm) {
            grads.muli(maxNorm / norm);
        }
        return norm;
    }
}
