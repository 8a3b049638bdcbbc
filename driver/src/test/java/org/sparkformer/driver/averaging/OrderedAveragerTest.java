package org.sparkformer.driver.averaging;

import org.junit.jupiter.api.Test;
import org.sparkformer.driver.executor.PartialResult;
import org.sparkformer.driver.executor.PartitionOutcome;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderedAveragerTest {

    /** Above the length from which the averager splits its passes into slices. */
    private static final int PARAMS = 200_003;
    private static final int STATE = 70_001;
    private static final int PARTITIONS = 4;

    private static PartitionOutcome outcome(int partition) {
        Random random = new Random(100 + partition);
        float[] params = new float[PARAMS];
        float[] state = new float[STATE];
        for (int i = 0; i < PARAMS; i++) {
            params[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < STATE; i++) {
            state[i] = random.nextFloat() * 1e-3f;
        }
        return PartitionOutcome.of(partition, new PartialResult(partition + 2, params, state, 1.5, 3, 10), 0);
    }

    private static RoundResult average(int threads, int... arrivalOrder) {
        OrderedAverager averager = new OrderedAverager(new float[PARAMS], new float[STATE], PARTITIONS, threads);
        for (int partition : arrivalOrder) {
            averager.accept(outcome(partition));
        }
        return averager.finish(0, 0, 0, 0);
    }

    @Test
    void theAverageIsTheSameBitsOnOneOrSeveralThreadsInAnyArrivalOrder() {
        RoundResult serial = average(1, 0, 1, 2, 3);
        RoundResult threaded = average(3, 2, 0, 3, 1);
        RoundResult reversed = average(2, 3, 2, 1, 0);
        assertArrayEquals(serial.params(), threaded.params());
        assertArrayEquals(serial.optState(), threaded.optState());
        assertArrayEquals(serial.params(), reversed.params());
        assertArrayEquals(serial.optState(), reversed.optState());
        assertEquals(2 + 3 + 4 + 5, serial.examples());
    }

    @Test
    void theAverageIsTheExampleWeightedMean() {
        RoundResult r = average(2, 1, 3, 0, 2);
        for (int i : new int[]{0, PARAMS / 2, PARAMS - 1}) {
            double sum = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                sum += (p + 2) * (double) outcome(p).arrays().unpack(0)[i];
            }
            assertEquals((float) (sum / 14), r.params()[i], 0f);
        }
    }

    @Test
    void aNonFiniteValueInAnySliceNamesThePartitionAndIndex() {
        float[] params = new float[PARAMS];
        params[PARAMS - 5] = Float.NaN;
        OrderedAverager averager = new OrderedAverager(new float[PARAMS], new float[0], 1, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> averager.accept(
                PartitionOutcome.of(0, new PartialResult(1, params, new float[0], 0, 0, 0), 0)));
        assertTrue(e.getMessage().contains("partition 0 returned non-finite params at index " + (PARAMS - 5)),
                e.getMessage());
    }
}
