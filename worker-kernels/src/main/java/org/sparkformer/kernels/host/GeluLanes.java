package org.sparkformer.kernels.host;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GELU backward step of the layers' activation function on whole vectors of floats: the same operations in the
 * same order as its scalar loops, so the bits are the same. The scalar loops need a separate pass for the gate at {@code x = 0},
 * which C2 leaves scalar (a conditional store); here it is a blend. Loaded only when {@link VectorLanes} has found the
 * vector module.
 */
public final class GeluLanes {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private GeluLanes() {
    }

    /**
     * For the largest m <= n that is a whole number of vectors: {@code s = out / x} ({@code 1/2} where x = 0) and
     * {@code gradient *= s + scale x s (1 - s)}, with {@code out} in {@code gate}; returns m.
     */
    public static int backward(float[] input, float[] gate, float[] gradient, int n, float scale) {
        int step = SPECIES.length();
        int i = 0;
        for (; i <= n - step; i += step) {
            FloatVector x = FloatVector.fromArray(SPECIES, input, i);
            FloatVector s = FloatVector.fromArray(SPECIES, gate, i).div(x).blend(0.5f, x.compare(VectorOperators.EQ, 0f));
            FloatVector slope = x.mul(scale).mul(s).mul(FloatVector.broadcast(SPECIES, 1f).sub(s));
            FloatVector.fromArray(SPECIES, gradient, i).mul(s.add(slope)).intoArray(gradient, i);
        }
        return i;
    }
}
