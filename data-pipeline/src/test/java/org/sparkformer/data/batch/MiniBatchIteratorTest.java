package org.sparkformer.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

class MiniBatchIteratorTest {

    static final Vocabulary VOCAB = MaskingPolicyTest.VOCAB;

    static List<EncodedSequence> varied(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<EncodedSequence> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int length = 3 + r.nextInt(40);
            int[] ids = new int[length];
            int[] tags = new int[length];
            ids[0] = VOCAB.clsId();
            for (int i = 1; i < length - 1; i++) {
                ids[i] = 5 + r.nextInt(900);
                tags[i] = i % 2 == 1 ? r.nextInt(4) : MiniBatch.IGNORE;
            }
            ids[length - 1] = VOCAB.sepId();
            tags[0] = MiniBatch.IGNORE;
            tags[length - 1] = MiniBatch.IGNORE;
            out.add(new EncodedSequence(ids, tags, s % 3, false, "s" + s));
        }
        return out;
    }

    @Test
    void startingAtEpochAndBatchYieldsTheSameBatchesAsReplaying() {
        List<EncodedSequence> seqs = varied(100, 1);
        for (BatchConfig config : List.of(BatchConfig.maskedLm(8), BatchConfig.maskedLm(8).withBucketing(3))) {
            List<MiniBatch> fromStart = new ArrayList<>();
            new MiniBatchIterator(seqs, config, VOCAB, 9, 2, BatchPosition.start(), 3).forEachRemaining(fromStart::add);
            assertEquals(3 * 13, fromStart.size());
            MiniBatchIterator resumed = new MiniBatchIterator(seqs, config, VOCAB, 9, 2, new BatchPosition(1, 5), 3);
            assertEquals(new BatchPosition(1, 5), resumed.position());
            List<MiniBatch> rest = new ArrayList<>();
            resumed.forEachRemaining(rest::add);
            assertEquals(fromStart.subList(13 + 5, fromStart.size()), rest);
            assertEquals(new BatchPosition(3, 0), resumed.position());
        }
    }

    @Test
    void eachEpochCoversEverySequenceOnceInASeededOrder() {
        List<EncodedSequence> seqs = varied(50, 2);
        BatchConfig config = BatchConfig.of(7, Objective.SEQUENCE_CLASSIFICATION);
        List<MiniBatch> epoch0 = new ArrayList<>();
        new MiniBatchIterator(seqs, config, VOCAB, 3, 0, BatchPosition.start(), 1).forEachRemaining(epoch0::add);
        List<MiniBatch> epoch1 = new ArrayList<>();
        new MiniBatchIterator(seqs, config, VOCAB, 3, 0, new BatchPosition(1, 0), 2).forEachRemaining(epoch1::add);
        assertEquals(8, epoch0.size());
        assertEquals(50, epoch0.stream().mapToInt(MiniBatch::rows).sum());
        assertEquals(rowsAsSet(epoch0), rowsAsSet(epoch1));
        assertFalse(epoch0.equals(epoch1), "epochs are shuffled differently");
        assertEquals(50, rowsAsSet(epoch0).size());
    }

    @Test
    void batchesArePaddedToTheirLongestSequenceWithMask() {
        int[] a = {2, 10, 11, 3};
        int[] b = {2, 12, 3};
        List<EncodedSequence> seqs = List.of(new EncodedSequence(a, null, 1, false, "a"), new EncodedSequence(b, null, 0, false, "b"));
        MiniBatch batch = new MiniBatchIterator(seqs, BatchConfig.of(2, Objective.SEQUENCE_CLASSIFICATION).withBucketing(1),
                VOCAB, 0, 0, BatchPosition.start(), 1).next();
        assertEquals(2, batch.rows());
        assertEquals(4, batch.seqLen());
        assertTrue(batch.perSequenceLabels());
        assertArrayEquals(new int[] {2, 12, 3, 0, 2, 10, 11, 3}, batch.tokenIds());
        assertArrayEquals(new int[] {1, 1, 1, 0, 1, 1, 1, 1}, batch.attentionMask());
        assertArrayEquals(new int[] {0, 1}, batch.labels());
    }

    @Test
    void causalLabelsAreTheNextToken() {
        List<EncodedSequence> seqs = List.of(EncodedSequence.unlabelled(new int[] {2, 10, 11, 3}, false, "a"),
                EncodedSequence.unlabelled(new int[] {2, 12, 3}, false, "b"));
        MiniBatch batch = new MiniBatchIterator(seqs, BatchConfig.of(2, Objective.CAUSAL_LM).withBucketing(1),
                VOCAB, 0, 0, BatchPosition.start(), 1).next();
        int ig = MiniBatch.IGNORE;
        assertArrayEquals(new int[] {12, 3, ig, ig, 10, 11, 3, ig}, batch.labels());
    }

    @Test
    void tokenClassificationCarriesTokenLabelsAndIgnoresPadding() {
        int ig = MiniBatch.IGNORE;
        List<EncodedSequence> seqs = List.of(new EncodedSequence(new int[] {2, 10, 3}, new int[] {ig, 1, ig}, ig, false, "a"),
                new EncodedSequence(new int[] {2, 10, 11, 12, 3}, new int[] {ig, 0, ig, 2, ig}, ig, false, "b"));
        MiniBatch batch = new MiniBatchIterator(seqs, BatchConfig.of(2, Objective.TOKEN_CLASSIFICATION).withBucketing(1),
                VOCAB, 0, 0, BatchPosition.start(), 1).next();
        assertArrayEquals(new int[] {ig, 1, ig, ig, ig, ig, 0, ig, 2, ig}, batch.labels());
    }

    @Test
    void lengthBucketingCutsPadding() {
        List<EncodedSequence> seqs = varied(400, 3);
        int[] lengths = seqs.stream().mapToInt(EncodedSequence::length).toArray();
        long real = java.util.Arrays.stream(lengths).sum();
        long plain = EpochPlan.of(lengths, BatchConfig.maskedLm(16), 1, 0, 0).paddedCells(lengths);
        long bucketed = EpochPlan.of(lengths, BatchConfig.maskedLm(16).withBucketing(25), 1, 0, 0).paddedCells(lengths);
        assertTrue(bucketed - real < (plain - real) / 3, "padding " + (bucketed - real) + " vs " + (plain - real));
    }

    private static Set<String> rowsAsSet(List<MiniBatch> batches) {
        Set<String> rows = new HashSet<>();
        for (MiniBatch b : batches) {
            for (int r = 0; r < b.rows(); r++) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < b.seqLen(); i++) {
                    if (b.attentionMask()[r * b.seqLen() + i] == 1) {
                        s.append(b.tokenIds()[r * b.seqLen() + i]).append(',');
                    }
                }
                rows.add(s.toString());
            }
        }
        return rows;
    }
}
