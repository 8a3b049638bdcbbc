package org.sparkformer.kernels.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared fixtures of the kernel tests that compare arrays: seeded random inputs and a tolerance check. */
public final class ArrayFixtures {

    private ArrayFixtures() {
    }

    /** A FLOAT array of {@code shape} with values uniform in [-0.5, 0.5), drawn from ND4J's generator seeded with {@code seed}. */
    public static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    /** Every value of {@code actual} within {@code tolerance} (absolute, or relative above 1) of {@code expected}. */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        for (long i = 0; i < expected.length(); i++) {
            double e = expected.getDouble(i);
            assertEquals(e, actual.getDouble(i), tolerance * Math.max(1, Math.abs(e)), what + " at " + i);
        }
    }
}
