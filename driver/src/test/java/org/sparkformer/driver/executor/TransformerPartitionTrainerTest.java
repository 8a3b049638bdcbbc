package org.sparkformer.driver.executor;

import org.junit.jupiter.api.Test;
import org.sparkformer.data.batch.BatchPosition;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a partition's data cursor stands after the steps already taken. */
class TransformerPartitionTrainerTest {

    @Test
    void resumedCursorContinuesWhereTheLastRoundStopped() {
        assertEquals(new BatchPosition(0, 0), TransformerPartitionTrainer.cursor(0, 5));
        assertEquals(new BatchPosition(1, 2), TransformerPartitionTrainer.cursor(7, 5));
        assertEquals(new BatchPosition(0, 0), TransformerPartitionTrainer.cursor(7, 0));
    }
}
