package org.sparkformer.kernels.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with bias correction. With {@code decoupled} (AdamW) weight decay shrinks the parameters directly,
 * {@code p -= lr * wd * p}, before the moment update; otherwise (Adam) {@code wd * p} is added to the gradient.
 * Decay applies only where the mask is 1 (weight matrices and embeddings, not biases or LayerNorm).
 * State layout: {@code [m (numParams), v (numParams)]}.
 */
final class Adam implements Optimizer {

    private final OptimizerConfig config;
    private final INDArray decayMask;
    private final boolean decoupled;
    private final INDArray state;
    private final INDArray m;
    private final INDArray v;
    private final INDArray scratch;
    private final INDArray gradient;

    Adam(OptimizerConfig config, INDArray decayMask, boolean decoupled) {
        this.config = config;
        this.decayMask = decayMask;
        this.decoupled = decoupled;
        long n = decayMask.length();
        this.state = Nd4j.zeros(decayMask.dataType(), 1, 2 * n);
        this.m = state.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).reshape(1, n);
        this.v = state.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n)).reshape(1, n);
        this.scratch = Nd4j.zeros(decayMask.dataType(), 1, n);
        this.gradient = decoupled ? null : Nd4j.zeros(decayMask.dataType(), 1, n);
    }

    @Override
    public void step(INDArray params, INDArray grads, double lr, long step) {
        INDArray p = params.reshape(1, params.length());
        INDArray g = grads.reshape(1, grads.length());
        double wd = config.weightDecay();
        if (wd > 0 && decoupled) {
            scratch.assign(p).muli(decayMask);
            Nd4j.getBlasWrapper().level1().axpy(p.length(), -lr * wd, scratch, p);
        } else if (wd > 0) {
            gradient.assign(p).muli(decayMask);
            Nd4j.getBlasWrapper().level1().axpy(p.length(), 1.0, g, gradient.muli(wd));
            g = gradient;
        }
        double b1 = config.beta1();
        double b2 = config.beta2();
        m.muli(b1);
        Nd4j.getBlasWrapper().level1().axpy(g.length(), 1 - b1, g, m);
        scratch.assign(g).muli(g);
        v.muli(b2);
        Nd4j.getBlasWrapper().level1().axpy(g.length(), 1 - b2, scratch, v);
        double correction1 = 1 - Math.pow(b1, step);
        double correction2 = 1 - Math.pow(b2, step);
        // scratch = sqrt(v / c2) + eps ; update = m / scratch ; p -= lr / c1 * update
        scratch.assign(v).muli(1.0 / correction2);
        Transforms.sqrt(scratch, false).addi(config.epsilon());
        scratch.rdivi(m);
        Nd4j.getBlasWrapper().level1().axpy(p.length(), -lr / correction1, scratch, p);
    }

    @Override
    public INDArray state() {
        return state;
    }

    @Override
    public void loadState(INDArray newState) {
        if (newState.length() != state.length()) {
            throw new IllegalArgumentException("Adam state needs " + state.length() + " values, got " + newState.length());
        }
        state.assign(newState.reshape(state.shape()));
    }
}
