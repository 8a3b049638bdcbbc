package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.config.Activation;

/** Position-wise feed-forward network {@code out(f(in(x)))}: {@code <name>.in [dFf, d]}, {@code <name>.out [d, dFf]}. */
public final class FeedForward {

    private final String name;
    private final int dFf;
    private final Linear in;
    private final Linear out;
    private final ActivationFunction activation;

    public FeedForward(ParameterSet params, String name, int dModel, int dFf, Activation activation) {
        this.name = name;
        this.dFf = dFf;
        this.in = new Linear(params, name + ".in", dModel, dFf);
        this.out = new Linear(params, name + ".out", dFf, dModel);
        this.activation = new ActivationFunction(activation);
    }

    /** {@code y[N,d] = out(f(in(x[N,d])))}. */
    public void forward(INDArray x, INDArray y, BatchContext c) {
        forward(x, y, null, c);
    }

    /** {@code y[N,d] = out(f(in(x[N,d])))}, plus {@code residual[N,d]} when it is not null. */
    public void forward(INDArray x, INDArray y, INDArray residual, BatchContext c) {
        Workspace ws = c.ws();
        INDArray pre = ws.array(name + ".pre", c.positions(), dFf);
        INDArray act = ws.array(name + ".act", c.positions(), dFf);
        in.forward(x, pre);
        activation.forward(pre, act);
        out.forward(act, y, residual);
    }

    /**
     * Eval pass {@code y[M,d] = residual + out(f(in(x[M,d])))} (without the residual when it is null; y may be the
     * residual itself): the inner activations go to scratch shared by every feed-forward layer of this width, the
     * first bias and f applied in one pass, nothing kept for backward.
     */
    public void infer(INDArray x, INDArray y, INDArray residual, Workspace ws) {
        INDArray inner = ws.rows("ffn.inference/" + dFf, x.rows(), dFf);
        in.forwardActivated(x, inner, activation);
        out.forward(inner, y, residual);
    }

    /** Adds parameter gradients for {@code dy[N,d]}; writes {@code dx[N,d]} (adds when {@code accumulate}). */
    public void backward(INDArray x, INDArray dy, INDArray dx, boolean accumulate, BatchContext c) {
        Workspace ws = c.ws();
        INDArray pre = ws.array(name + ".pre", c.positions(), dFf);
        INDArray act = ws.array(name + ".act", c.positions(), dFf);
        INDArray dAct = ws.array("ffn.dact/" + dFf, c.positions(), dFf);
        out.backward(act, dy, dAct, false);
        activation.backward(pre, act, dAct);
        in.backward(x, dAct, dx, accumulate);
    }
}
