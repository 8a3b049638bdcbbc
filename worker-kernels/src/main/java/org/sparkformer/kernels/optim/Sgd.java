package org.sparkformer.kernels.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code p -= lr * (g + wd * mask * p)}; stateless. */
final class Sgd implements Optimizer {

    private final OptimizerConfig config;
    private final INDArray decayMask;
    private final INDArray scratch;
    private final INDArray state;

    Sgd(OptimizerConfig config, INDArray decayMask) {
        this.config = config;
        this.decayMask = decayMask;
        this.scratch = config.weightDecay() > 0 ? Nd4j.zeros(decayMask.dataType(), 1, decayMask.length()) : null;
        this.state = Nd4j.zeros(decayMask.dataType(), 1, 0);
    }

    @Override
    public void step(INDArray params, INDArray grads, double gradScale, double lr, long step) {
        INDArray p = params.reshape(1, params.length());
        INDArray g = gradScale == 1.0 ? grads.reshape(1, grads.length()) : grads.reshape(1, grads.length()).mul(gradScale);
        if (scratch != null) {
            scratch.assign(p).muli(decayMask);
            Nd4j.getBlasWrapper().level1().axpy(p.length(), -lr * config.weightDecay(), scratch, p);
        }
        Nd4j.getBlasWrapper().level1().axpy(p.length(), -lr, g, p);
    }

    @Override
    public INDArray state() {
        return state;
    }

    @Override
    public void loadState(INDArray newState) {
        if (newState.length() != 0) {
            throw new IllegalArgumentException("SGD has no state, got " + newState.length() + " values");
        }
    }
}
