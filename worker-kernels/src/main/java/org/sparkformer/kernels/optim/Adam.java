package org.sparkformer.kernels.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;

/**
 * Adam with bias correction. With {@code decoupled} (AdamW) weight decay shrinks the parameters directly,
 * {@code p -= lr * wd * p}, before the moment update; otherwise (Adam) {@code wd * p} is added to the gradient.
 * Decay applies only where the mask is 1 (weight matrices and embeddings, not biases or LayerNorm).
 * State layout: {@code [m (numParams), v (numParams)]}.
 *
 * <p>A step is one pass over parameters, gradients (scaled as they are read when clipped), both moments and the mask,
 * in place, in chunks of
 * {@value #CHUNK} values split over {@link HostThreads} (each value is updated by one thread with the same
 * arithmetic, so the result does not depend on the thread count), in place of about ten whole-buffer ND4J ops.
 */
final class Adam implements Optimizer {

    private static final int CHUNK = 4096;

    private final OptimizerConfig config;
    private final INDArray decayMask;
    private final boolean decoupled;
    private final INDArray state;
    private final INDArray m;
    private final INDArray v;

    Adam(OptimizerConfig config, INDArray decayMask, boolean decoupled) {
        this.config = config;
        this.decayMask = decayMask;
        this.decoupled = decoupled;
        long n = decayMask.length();
        this.state = Nd4j.zeros(decayMask.dataType(), 1, 2 * n);
        this.m = state.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, n)).reshape(1, n);
        this.v = state.get(NDArrayIndex.point(0), NDArrayIndex.interval(n, 2 * n)).reshape(1, n);
    }

    /** The constants of one step. */
    private record Step(double gradScale, double lr, double decay, double b1, double b2, double c2Inverse, double epsilon,
                        double stepSize) {
    }

    @Override
    public void step(INDArray params, INDArray grads, double gradScale, double lr, long step) {
        Step s = new Step(gradScale, lr, config.weightDecay(), config.beta1(), config.beta2(),
                1.0 / (1 - Math.pow(config.beta2(), step)), config.epsilon(), lr / (1 - Math.pow(config.beta1(), step)));
        HostArray p = HostArray.of(params);
        HostArray g = HostArray.of(grads);
        HostArray first = HostArray.of(m);
        HostArray second = HostArray.of(v);
        HostArray mask = HostArray.of(decayMask);
        boolean floats = p.isFloat() && g.isFloat() && first.isFloat() && second.isFloat() && mask.isFloat();
        HostThreads.forChunks(p.length(), CHUNK, 4, () -> {
            Chunk chunk = floats ? new FloatChunk() : new DoubleChunk();
            return (from, n) -> chunk.update(p, g, first, second, mask, from, n, s);
        });
    }

    /** Updates {@code [from, from+n)} of parameters and moments. */
    private interface Chunk {
        void update(HostArray p, HostArray g, HostArray m, HostArray v, HostArray mask, int from, int n, Step s);
    }

    /** Float arithmetic, the constants rounded to float as ND4J's scalar ops on float arrays round them. */
    private final class FloatChunk implements Chunk {
        private final float[] param = new float[CHUNK];
        private final float[] grad = new float[CHUNK];
        private final float[] first = new float[CHUNK];
        private final float[] second = new float[CHUNK];
        private final float[] decays = new float[CHUNK];

        @Override
        public void update(HostArray p, HostArray g, HostArray m, HostArray v, HostArray mask, int from, int n, Step s) {
            p.readFloats(from, param, n);
            g.readFloats(from, grad, n);
            m.readFloats(from, first, n);
            v.readFloats(from, second, n);
            mask.readFloats(from, decays, n);
            if (s.gradScale() != 1.0) {
                float scale = (float) s.gradScale();
                for (int k = 0; k < n; k++) {
                    grad[k] *= scale;
                }
            }
            float decay = (float) (decoupled ? -s.lr() * s.decay() : s.decay());
            if (s.decay() > 0 && decoupled) {
                for (int k = 0; k < n; k++) {
                    param[k] += decay * (param[k] * decays[k]);              // p -= lr * wd * mask * p
                }
            } else if (s.decay() > 0) {
                for (int k = 0; k < n; k++) {
                    grad[k] = decay * (param[k] * decays[k]) + grad[k];       // g += wd * mask * p
                }
            }
            float b1 = (float) s.b1();
            float b2 = (float) s.b2();
            float oneMinusB1 = (float) (1 - s.b1());
            float oneMinusB2 = (float) (1 - s.b2());
            float c2Inverse = (float) s.c2Inverse();
            float epsilon = (float) s.epsilon();
            float stepSize = (float) -s.stepSize();
            for (int k = 0; k < n; k++) {
                float mk = b1 * first[k] + oneMinusB1 * grad[k];
                float vk = b2 * second[k] + oneMinusB2 * (grad[k] * grad[k]);
                first[k] = mk;
                second[k] = vk;
                float denominator = (float) Math.sqrt(vk * c2Inverse) + epsilon;
                param[k] += stepSize * (mk / denominator);
            }
            p.writeFloats(from, param, n);
            m.writeFloats(from, first, n);
            v.writeFloats(from, second, n);
        }
    }

    /** The same update in double arithmetic, for double models. */
    private final class DoubleChunk implements Chunk {
        private final double[] param = new double[CHUNK];
        private final double[] grad = new double[CHUNK];
        private final double[] first = new double[CHUNK];
        private final double[] second = new double[CHUNK];
        private final double[] decays = new double[CHUNK];
        private final float[] staging = new float[CHUNK];

        @Override
        public void update(HostArray p, HostArray g, HostArray m, HostArray v, HostArray mask, int from, int n, Step s) {
            p.read(from, param, n, staging);
            g.read(from, grad, n, staging);
            m.read(from, first, n, staging);
            v.read(from, second, n, staging);
            mask.read(from, decays, n, staging);
            if (s.gradScale() != 1.0) {
                for (int k = 0; k < n; k++) {
                    grad[k] *= s.gradScale();
                }
            }
            if (s.decay() > 0 && decoupled) {
                for (int k = 0; k < n; k++) {
                    param[k] -= s.lr() * s.decay() * (param[k] * decays[k]);
                }
            } else if (s.decay() > 0) {
                for (int k = 0; k < n; k++) {
                    grad[k] += s.decay() * (param[k] * decays[k]);
                }
            }
            for (int k = 0; k < n; k++) {
                first[k] = s.b1() * first[k] + (1 - s.b1()) * grad[k];
                second[k] = s.b2() * second[k] + (1 - s.b2()) * (grad[k] * grad[k]);
                param[k] -= s.stepSize() * (first[k] / (Math.sqrt(second[k] * s.c2Inverse()) + s.epsilon()));
            }
            p.write(from, param, n, staging);
            m.write(from, first, n, staging);
            v.write(from, second, n, staging);
        }
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
