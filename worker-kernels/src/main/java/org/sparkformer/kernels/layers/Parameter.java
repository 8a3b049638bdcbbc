package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * One named parameter tensor: its place in the flat buffers and, once the {@link ParameterSet} is allocated,
 * c-order views of its values and gradients.
 */
public final class Parameter {

    /** How a parameter starts. */
    public enum Init {
        /** Normal(0, initStd) (the model configuration's {@code initStd}). */
        NORMAL,
        /** All zeros (biases, LayerNorm beta). */
        ZEROS,
        /** All ones (LayerNorm gamma). */
        ONES
    }

    private final String name;
    private final long[] shape;
    private final long offset;
    private final Init init;
    private final boolean decayed;
    private INDArray value;
    private INDArray grad;

    Parameter(String name, long[] shape, long offset, Init init, boolean decayed) {
        this.name = name;
        this.shape = shape.clone();
        this.offset = offset;
        this.init = init;
        this.decayed = decayed;
    }

    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    public Init init() {
        return init;
    }

    /** Whether weight decay applies (weights and embeddings, not biases or LayerNorm). */
    public boolean decayed() {
        return decayed;
    }

    /** View of the values inside the flat parameter buffer. */
    public INDArray value() {
        return value;
    }

    /** View of the gradient inside the flat gradient buffer. */
    public INDArray grad() {
        return grad;
    }

    void bind(INDArray valueView, INDArray gradView) {
        this.value = valueView;
        this.grad = gradView;
    }

    void bindValue(INDArray valueView) {
        this.value = valueView;
    }

    void bindGrad(INDArray gradView) {
        this.grad = gradView;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
