package org.sparkformer.kernels.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parameters bound to buffers someone else owns (a slice of a larger flat array) are views of that memory. */
class ParameterBindingTest {

    private static ParameterSet declared() {
        ParameterSet params = new ParameterSet(DataType.DOUBLE);
        new Linear(params, "dense", 3, 2);
        new LayerNorm(params, "ln", 2);
        return params;
    }

    @Test
    void boundParametersAreViewsOfTheOwnersSliceAndDrawnAsAllocateDraws() {
        ParameterSet params = declared();
        INDArray owner = Nd4j.zeros(DataType.DOUBLE, 1, params.size() + 5);
        INDArray slice = owner.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 5 + params.size()));
        params.bindValues(slice, true, 42L, 0.5);
        ParameterSet allocated = declared();
        allocated.allocate(42L, 0.5);
        assertEquals(allocated.values().reshape(params.size()), owner.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(5, 5 + params.size())));
        params.get("dense.weight").value().putScalar(1, 0, 7.0);
        assertEquals(7.0, owner.getDouble(0, 5 + 3), 0.0);            // row 1, column 0 of [2, 3], after 5 others
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, params.size());
        params.bindGradients(grads);
        params.get("ln.beta").grad().putScalar(1, 3.0);
        assertEquals(3.0, grads.getDouble(params.size() - 1), 0.0);
    }

    @Test
    void aBufferOfTheWrongSizeOrTypeIsRefusedNamingBoth() {
        ParameterSet params = declared();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> params.bindValues(Nd4j.zeros(DataType.FLOAT, 1, params.size()), false, 0L, 0.1));
        assertEquals("the parameter buffer is FLOAT [1, 12], the parameters need a contiguous DOUBLE vector of 12",
                e.getMessage());
    }
}
