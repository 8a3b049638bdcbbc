package org.sparkformer.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

class WordDropoutTest {

    static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(List.of("the", "walk", "##ing", "##s", "dog", "ran"));
    static final int IGNORE = MiniBatch.IGNORE;

    private int id(String token) {
        return VOCAB.id(token);
    }

    /** [CLS] the walk ##ing dog ##s ran [SEP]: four words, two of them of two sub-tokens. */
    private int[] sentence() {
        return new int[] {VOCAB.clsId(), id("the"), id("walk"), id("##ing"), id("dog"), id("##s"), id("ran"), VOCAB.sepId()};
    }

    private static final int[] TAGS = {IGNORE, 0, 1, IGNORE, 2, IGNORE, 3, IGNORE};

    @Test
    void aDroppedWordLosesAllItsSubTokensAndSpecialTokensStay() {
        // a rate close to 1 drops every word; the words are what the labels mark, or the ## continuations without labels
        for (int[] labels : new int[][] {TAGS, null}) {
            int[] inputs = sentence();
            new WordDropout(0.999999).apply(inputs, 0, inputs.length, labels, VOCAB, new SplittableRandom(1));
            int m = VOCAB.maskId();
            assertArrayEquals(new int[] {VOCAB.clsId(), m, m, m, m, m, m, VOCAB.sepId()}, inputs);
        }
    }

    @Test
    void wordsDropTogetherOrNotAtAll() {
        int dropped = 0;
        int words = 0;
        for (long seed = 0; seed < 400; seed++) {
            int[] inputs = sentence();
            new WordDropout(0.3).apply(inputs, 0, inputs.length, TAGS, VOCAB, new SplittableRandom(seed));
            assertEquals(inputs[2] == VOCAB.maskId(), inputs[3] == VOCAB.maskId(), "walk ##ing drop together");
            assertEquals(inputs[4] == VOCAB.maskId(), inputs[5] == VOCAB.maskId(), "dog ##s drop together");
            for (int i : new int[] {1, 2, 4, 6}) {
                words++;
                dropped += inputs[i] == VOCAB.maskId() ? 1 : 0;
            }
        }
        assertEquals(0.3, dropped / (double) words, 0.04);
    }

    @Test
    void rateZeroLeavesTheBatchesAsTheyWere() {
        List<EncodedSequence> seqs = tagged(40);
        BatchConfig plain = BatchConfig.of(8, Objective.TOKEN_CLASSIFICATION);
        assertEquals(batches(plain, 5, 0), batches(plain.withWordDropout(0), 5, 0));
        assertEquals(batches(plain, 5, 0), batches(plain, 5, 0));
    }

    @Test
    void dropsAreSeededByJobSeedPartitionAndEpochAndLabelsStay() {
        BatchConfig config = BatchConfig.of(8, Objective.TOKEN_CLASSIFICATION).withWordDropout(0.25);
        List<MiniBatch> first = batches(config, 5, 0);
        assertEquals(first, batches(config, 5, 0), "same seed, partition and epoch: the same words drop");
        assertNotEquals(first, batches(config, 6, 0), "another job seed drops other words");
        assertNotEquals(first, batches(config, 5, 1), "another epoch drops other words");
        List<MiniBatch> plain = batches(BatchConfig.of(8, Objective.TOKEN_CLASSIFICATION), 5, 0);
        int masked = 0;
        for (int b = 0; b < first.size(); b++) {
            assertArrayEquals(plain.get(b).labels(), first.get(b).labels(), "labels never change");
            for (int i = 0; i < first.get(b).tokenIds().length; i++) {
                masked += first.get(b).tokenIds()[i] == VOCAB.maskId() ? 1 : 0;
            }
        }
        assertTrue(masked > 0, "some words dropped");
    }

    @Test
    void onlyClassificationBatchesTakeWordDropoutAndTheRateIsAProbability() {
        assertThrows(IllegalArgumentException.class, () -> BatchConfig.maskedLm(8).withWordDropout(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WordDropout(1.0));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    }

    private List<EncodedSequence> tagged(int count) {
        List<EncodedSequence> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            out.add(new EncodedSequence(sentence(), TAGS.clone(), IGNORE, false, "sentence " + s));
        }
        return out;
    }

    private List<MiniBatch> batches(BatchConfig config, long seed, int epoch) {
        MiniBatchIterator it = new MiniBatchIterator(tagged(40), config, VOCAB, seed, 2, new BatchPosition(epoch, 0), epoch + 1);
        List<MiniBatch> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
