package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over the feature dimension: {@code y = (x - mean) / sqrt(var + 1e-5) * gamma + beta}, with the biased
 * variance. Parameters {@code <name>.gamma [width]} (init 1) and {@code <name>.beta [width]} (init 0).
 */
public final class LayerNorm {

    static final double EPSILON = 1e-5;

    private final String name;
    private final int width;
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm(ParameterSet params, String name, int width) {
        this.name = name;
        this.width = width;
        this.gamma = params.declare(name + ".gamma", Parameter.Init.ONES, false, width);
        this.beta = params.declare(name + ".beta", Parameter.Init.ZEROS, false, width);
    }

    /** {@code y[M,width] = LN(x[M,width])}; keeps the normalised input and the inverse deviations for backward. */
    public void forward(INDArray x, INDArray y, Workspace ws) {
        long m = x.rows();
        INDArray xhat = ws.rows(name + ".xhat", m, width);
        INDArray rstd = ws.rows(name + ".rstd", m, 1);
        INDArray mean = ws.rows("layernorm.mean", m, 1);
        x.mean(mean.reshape(m), 1);
        xhat.assign(x).subiColumnVector(mean);
        // rstd = 1 / sqrt(mean((x - mean)²) + eps)
        INDArray squares = ws.rows("layernorm.squares", m, width);
        squares.assign(xhat).muli(xhat);
        squares.mean(rstd.reshape(m), 1);
        rstd.addi(EPSILON);
        Transforms.pow(rstd, -0.5, false);
        xhat.muliColumnVector(rstd);
        y.assign(xhat).muliRowVector(gamma.value()).addiRowVector(beta.value());
    }

    /**
     * Adds the gamma/beta gradients for {@code dy[M,width]} and writes {@code dx} (adds to it when {@code accumulate}):
     * {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))} with {@code g = dy * gamma}.
     */
    public void backward(INDArray dy, INDArray dx, boolean accumulate, Workspace ws) {
        long m = dy.rows();
        INDArray xhat = ws.rows(name + ".xhat", m, width);
        INDArray rstd = ws.rows(name + ".rstd", m, 1);
        INDArray a = ws.rows("layernorm.a", m, width);
        INDArray g = ws.rows("layernorm.g", m, width);
        INDArray meanG = ws.rows("layernorm.meanG", m, 1);
        INDArray meanGx = ws.rows("layernorm.meanGx", m, 1);
        INDArray ones = ws.ones(m);

        a.assign(dy).muli(xhat);
        MatMul.columnSums(a, ones, gamma.grad(), 1.0);
        MatMul.columnSums(dy, ones, beta.grad(), 1.0);

        a.muliRowVector(gamma.value());          // g * xhat
        a.mean(meanGx.reshape(m), 1);
        g.assign(dy).muliRowVector(gamma.value());
        g.mean(meanG.reshape(m), 1);
        a.assign(xhat).muliColumnVector(meanGx); // xhat * mean(g * xhat)
        g.subi(a).subiColumnVector(meanG).muliColumnVector(rstd);
        if (accumulate) {
            dx.addi(g);
        } else {
            dx.assign(g);
        }
    }
}
