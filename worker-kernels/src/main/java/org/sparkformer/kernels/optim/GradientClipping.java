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
        double scale = scaleFor(norm, maxNorm);
        if (scale != 1.0) {
            grads.muli(scale);
        }
        return norm;
    }

    /**
     * The factor that clips a gradient of L2 norm {@code norm} to {@code maxNorm}: {@code maxNorm / norm} when the norm
     * exceeds a positive {@code maxNorm}, else 1. An optimizer step can apply it while it reads the gradients
     * ({@link Optimizer#step(INDArray, INDArray, double, double, long)}) instead of a separate pass over them.
     */
    public static double scaleFor(double norm, double maxNorm) {
        return maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1.0;
    }
}
