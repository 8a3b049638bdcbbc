package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.host.BiasRows;
import org.sparkformer.kernels.host.ColumnSums;
import org.sparkformer.kernels.host.MatMul;

/** Dense layer {@code y = x · Wᵀ + b} with {@code W [out, in]} (named {@code <name>.weight}) and {@code b [out]} ({@code <name>.bias}). */
public final class Linear {

    private final Parameter weight;
    private final Parameter bias;

    public Linear(ParameterSet params, String name, int in, int out) {
        this.weight = params.declare(name + ".weight", Parameter.Init.NORMAL, true, out, in);
        this.bias = params.declare(name + ".bias", Parameter.Init.ZEROS, false, out);
    }

    /** {@code y[M,out] = x[M,in] · Wᵀ + b}. */
    public void forward(INDArray x, INDArray y) {
        forward(x, y, null);
    }

    /** {@code y[M,out] = residual[M,out] + x[M,in] · Wᵀ + b}; without the residual when it is null. */
    public void forward(INDArray x, INDArray y, INDArray residual) {
        BiasRows.fill(y, bias.value(), residual);
        MatMul.xWt(x, weight.value(), y, 1.0);
    }

    /**
     * {@code y[M,out] = f(x[M,in] · Wᵀ + b)} for eval passes: the product written without the bias, then the bias and
     * {@code f} in one pass over y ({@link ActivationFunction#biasForward}).
     */
    public void forwardActivated(INDArray x, INDArray y, ActivationFunction f) {
        MatMul.xWt(x, weight.value(), y, 0.0);
        f.biasForward(y, bias.value());
    }

    /**
     * Adds this layer's parameter gradients for upstream gradient {@code dy[M,out]} and input {@code x[M,in]};
     * writes {@code dx[M,in]} (or adds to it when {@code accumulate}); {@code dx} may be null when not needed.
     */
    public void backward(INDArray x, INDArray dy, INDArray dx, boolean accumulate) {
        MatMul.dyTx(dy, x, weight.grad(), 1.0);
        ColumnSums.addTo(dy, bias.grad());
        if (dx != null) {
            MatMul.dyW(dy, weight.value(), dx, accumulate ? 1.0 : 0.0);
        }
    }
}
