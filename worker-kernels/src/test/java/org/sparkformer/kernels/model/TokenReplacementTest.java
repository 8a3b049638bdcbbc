package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.layers.ReplacedTokenHead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenReplacementTest {

    @Test
    void aDrawFollowsTheCumulativeSoftmax() {
        double[] logits = {Math.log(0.2), Math.log(0.5), Math.log(0.3)};
        assertEquals(0, TokenReplacement.sample(logits, 0.0));
        assertEquals(0, TokenReplacement.sample(logits, 0.19));
        assertEquals(1, TokenReplacement.sample(logits, 0.21));
        assertEquals(1, TokenReplacement.sample(logits, 0.69));
        assertEquals(2, TokenReplacement.sample(logits, 0.71));
        assertEquals(2, TokenReplacement.sample(logits, 0.999999));
    }

    @Test
    void maskedPositionsTakeTheDrawnTokenAndAreLabelledReplacedUnlessTheDrawIsTheOriginal() {
        // one row of 5: positions 1 and 3 masked (originals 7 and 2), position 4 padding
        int[] ids = {5, 1, 6, 1, 0};
        int[] mask = {1, 1, 1, 1, 0};
        int[] labels = {MiniBatch.IGNORE, 7, MiniBatch.IGNORE, 2, MiniBatch.IGNORE};
        MiniBatch batch = new MiniBatch(1, 5, ids, mask, labels);
        // vocabulary of 8; row 0 is certain of token 4, row 1 of token 2 (the original)
        INDArray logits = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 8).subi(100);
        logits.putScalar(0, 4, 0);
        logits.putScalar(1, 2, 0);
        TokenReplacement.Corrupted corrupted = TokenReplacement.draw(batch, new int[] {1, 3}, new int[] {7, 2}, logits, 11L);
        assertArrayEquals(new int[] {5, 4, 6, 2, 0}, corrupted.batch().tokenIds());
        assertArrayEquals(new int[] {ReplacedTokenHead.ORIGINAL, ReplacedTokenHead.REPLACED, ReplacedTokenHead.ORIGINAL,
                ReplacedTokenHead.ORIGINAL, MiniBatch.IGNORE}, corrupted.labels());
        assertArrayEquals(ids, new int[] {5, 1, 6, 1, 0}, "the input batch is left as it was");
    }
}
