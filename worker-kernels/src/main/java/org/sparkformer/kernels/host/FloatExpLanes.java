package org.sparkformer.kernels.host;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatExp}'s method on whole vectors of floats: the same clamp, rounding, two-part reduction, polynomial and
 * power-of-two scaling, operation for operation, so every lane holds the bits the scalar loops give. The scaling
 * reinterprets the rounded float as int lanes, which the scalar loop must do one value at a time. Loaded only when
 * {@link VectorLanes} has found the vector module.
 */
final class FloatExpLanes {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private FloatExpLanes() {
    }

    static int lanes() {
        return SPECIES.length();
    }

    /**
     * {@code values[0 .. m) = exp(values[0 .. m))} for the largest m <= n that is a whole number of vectors; returns m.
     * The vector steps stay in this one loop: C2 keeps vectors in registers only within the method it compiles, and
     * a helper taking and returning a vector would box it wherever C2 declined to inline the helper.
     */
    static int exp(float[] values, int n) {
        int step = SPECIES.length();
        int i = 0;
        for (; i <= n - step; i += step) {
            FloatVector t = FloatVector.fromArray(SPECIES, values, i).min(FloatExp.HIGHEST).max(FloatExp.LOWEST);
            FloatVector z = t.mul(FloatExp.LOG2E).add(FloatExp.ROUNDING);
            FloatVector k = z.sub(FloatExp.ROUNDING);
            FloatVector r = t.sub(k.mul(FloatExp.LN2_HIGH)).sub(k.mul(FloatExp.LN2_LOW));
            FloatVector p = r.mul(FloatExp.P5).add(FloatExp.P4);
            p = p.mul(r).add(FloatExp.P3);
            p = p.mul(r).add(FloatExp.P2);
            p = p.mul(r).add(FloatExp.P1);
            p = p.mul(r).add(FloatExp.P0);
            p = p.mul(r).mul(r).add(r).add(1f);
            IntVector biased = z.reinterpretAsInts().sub(FloatExp.ROUNDING_BITS - FloatExp.BIAS).max(0);
            biased.lanewise(VectorOperators.LSHL, FloatExp.MANTISSA_BITS).reinterpretAsFloats().mul(p).intoArray(values, i);
        }
        return i;
    }
}
