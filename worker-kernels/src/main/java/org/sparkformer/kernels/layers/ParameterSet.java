package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.random.SplitMix64;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameters of a model as views into ONE flat parameter buffer and ONE flat gradient buffer, both
 * {@code [1, numParameters]}. Layers declare their parameters while the model is built; {@link #allocate(long)}
 * then creates the buffers, binds every {@link Parameter}'s views (c-order, so each parameter's slice is its
 * row-major tensor) and initialises the values.
 */
public final class ParameterSet {

    private final DataType dataType;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private long size;
    private double initStd;
    private INDArray values;
    private INDArray grads;

    public ParameterSet(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Declares the next parameter; names are unique and their order is the buffer order. */
    public Parameter declare(String name, Parameter.Init init, boolean decayed, long... shape) {
        if (values != null) {
            throw new IllegalStateException("parameter " + name + " declared after allocation");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("parameter " + name + " declared twice");
        }
        Parameter p = new Parameter(name, shape, size, init, decayed);
        byName.put(name, p);
        size += p.length();
        return p;
    }

    /**
     * Creates the flat buffers, binds the views and initialises each parameter from a seed derived from (seed, name);
     * {@link Parameter.Init#NORMAL} parameters draw from Normal(0, initStd).
     */
    public void allocate(long seed, double initStd) {
        this.initStd = initStd;
        values = Nd4j.zeros(dataType, 1, size);
        grads = Nd4j.zeros(dataType, 1, size);
        for (Parameter p : byName.values()) {
            p.bind(view(values, p), view(grads, p));
            initialise(p, seed);
        }
    }

    /**
     * Binds every parameter's value views to {@code flat} ({@code [1, size]} or {@code [size]}, contiguous), a buffer
     * someone else owns, such as a layer's slice of a Deeplearning4j network's one parameter array; with
     * {@code initialise} also draws every parameter from {@code seed} as {@link #allocate(long, double)} does.
     */
    public void bindValues(INDArray flat, boolean initialise, long seed, double initStd) {
        INDArray row = rowOf(flat, "parameter");
        this.initStd = initStd;
        this.values = row;
        for (Parameter p : byName.values()) {
            p.bindValue(view(row, p));
            if (initialise) {
                initialise(p, seed);
            }
        }
    }

    /** Binds every parameter's gradient views to {@code flat}, a buffer someone else owns (see {@link #bindValues}). */
    public void bindGradients(INDArray flat) {
        INDArray row = rowOf(flat, "gradient");
        this.grads = row;
        for (Parameter p : byName.values()) {
            p.bindGrad(view(row, p));
        }
    }

    private INDArray rowOf(INDArray flat, String what) {
        if (flat.length() != size || flat.dataType() != dataType || !flat.isVector()
                || flat.elementWiseStride() != 1) {
            throw new IllegalArgumentException("the " + what + " buffer is " + flat.dataType() + " "
                    + java.util.Arrays.toString(flat.shape()) + ", the parameters need a contiguous " + dataType
                    + " vector of " + size);
        }
        return flat.rank() == 2 && flat.rows() == 1 ? flat : flat.reshape('c', 1, size);
    }

    private static INDArray view(INDArray flat, Parameter p) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(p.offset(), p.offset() + p.length())).reshape('c', p.shape());
    }

    /** Re-draws {@code p} from the seed, as {@link #allocate(long, double)} did. */
    public void initialise(Parameter p, long seed) {
        HostArray out = HostArray.of(p.value());
        switch (p.init()) {
            case ZEROS -> p.value().assign(0);
            case ONES -> p.value().assign(1);
            case NORMAL -> {
                long stream = SplitMix64.derive(seed, p.name().hashCode(), p.length());
                for (int i = 0; i < out.length(); i++) {
                    out.set(i, initStd * SplitMix64.gaussian(stream, i));
                }
            }
        }
    }

    public long size() {
        return size;
    }

    public INDArray values() {
        return values;
    }

    public INDArray grads() {
        return grads;
    }

    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return p;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Parameters in buffer order. */
    public List<Parameter> all() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** {@code [1, size]}: 1 where weight decay applies, 0 elsewhere. */
    public INDArray decayMask() {
        INDArray mask = Nd4j.zeros(dataType, 1, size);
        for (Parameter p : byName.values()) {
            if (p.decayed()) {
                mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(p.offset(), p.offset() + p.length())).assign(1);
            }
        }
        return mask;
    }
}
