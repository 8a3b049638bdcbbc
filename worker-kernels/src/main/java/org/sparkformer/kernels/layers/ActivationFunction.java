package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELUDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.config.Activation;

/** Element-wise non-linearity and its derivative, on libnd4j transform ops. */
public final class ActivationFunction {

    private final Activation kind;

    public ActivationFunction(Activation kind) {
        this.kind = kind;
    }

    /** {@code out = f(pre)}. */
    public void forward(INDArray pre, INDArray out) {
        switch (kind) {
            case GELU -> Nd4j.exec(new GELU(pre, out));                // x * sigmoid(1.702 x)
            case RELU -> Nd4j.exec(new RectifiedLinear(pre, out, 0.0));
        }
    }

    /** Turns {@code grad} from dL/d out into dL/d pre in place; {@code out} is f(pre); {@code scratch} has their shape. */
    public void backward(INDArray pre, INDArray out, INDArray grad, INDArray scratch) {
        switch (kind) {
            case GELU -> Nd4j.exec(new GELUDerivative(pre, scratch));
            case RELU -> Nd4j.exec(new Sign(out, scratch));            // out >= 0, so sign(out) is the step function
        }
        grad.muli(scratch);
    }
}
