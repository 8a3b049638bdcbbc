package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LengthBucketsTest {

    @Test
    void batchesTakeTheLongestSequencesFirstWithTiesInInputOrder() {
        int[] lengths = {3, 9, 1, 9, 4, 3, 7};
        List<int[]> batches = LengthBuckets.batches(lengths, 3);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {1, 3, 6}, batches.get(0));
        assertArrayEquals(new int[] {4, 0, 5}, batches.get(1));
        assertArrayEquals(new int[] {2}, batches.get(2));
        int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, all);
    }

    @Test
    void sortedBatchesComputeFewerPaddedPositionsThanBatchesInInputOrder() {
        int[] lengths = {128, 10, 12, 120, 9, 11, 125, 8};
        List<int[]> inOrder = List.of(new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7});
        assertEquals(4 * 128 + 4 * 125, LengthBuckets.paddedPositions(lengths, inOrder));
        assertEquals(4 * 128 + 4 * 11, LengthBuckets.paddedPositions(lengths, LengthBuckets.batches(lengths, 4)));
    }

    @Test
    void invalidSizesAreRefusedWithTheValue() {
        assertEquals("batch size 0 must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> LengthBuckets.batches(new int[] {2}, 0)).getMessage());
        assertEquals("sequence 1 has length 0, at least 1 needed",
                assertThrows(IllegalArgumentException.class, () -> LengthBuckets.batches(new int[] {2, 0}, 4)).getMessage());
    }
}
