package org.sparkformer.kernels.random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The counter-based streams give the same numbers however they are drawn. */
class SplitMix64Test {

    @Test
    void bulkDrawsEqualTheDrawsOneByOne() {
        long[] draws = new long[1000];
        SplitMix64.bits53(-5L, 123_456_789L, draws, 999);
        for (int k = 0; k < 999; k++) {
            assertEquals(SplitMix64.bits53(-5L, 123_456_789L + k), draws[k], "draw " + k);
        }
        assertEquals(0L, draws[999], "beyond n nothing is written");
    }
}
