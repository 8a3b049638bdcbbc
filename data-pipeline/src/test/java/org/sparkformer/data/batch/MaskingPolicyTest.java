package org.sparkformer.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

class MaskingPolicyTest {

    static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(
            IntStream.range(0, 995).mapToObj(i -> "w" + i).toList());

    static List<EncodedSequence> sequences(int count, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<EncodedSequence> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int[] ids = new int[length];
            ids[0] = VOCAB.clsId();
            for (int i = 1; i < length - 1; i++) {
                ids[i] = 5 + r.nextInt(VOCAB.size() - 5);
            }
            ids[length - 1] = VOCAB.sepId();
            out.add(EncodedSequence.unlabelled(ids, false, "seq" + s));
        }
        return out;
    }

    @Test
    void maskingStatisticsMatchBertRates() {
        List<EncodedSequence> seqs = sequences(2000, 42, 1);
        MiniBatchIterator it = new MiniBatchIterator(seqs, BatchConfig.maskedLm(50), VOCAB, 7, 0, BatchPosition.start(), 1);
        long candidates = 0;
        long selected = 0;
        long masked = 0;
        long random = 0;
        long kept = 0;
        while (it.hasNext()) {
            MiniBatch b = it.next();
            for (int i = 0; i < b.tokenIds().length; i++) {
                if (b.labels()[i] == MiniBatch.IGNORE) {
                    continue;
                }
                selected++;
                int input = b.tokenIds()[i];
                assertFalse(VOCAB.isSpecial(b.labels()[i]), "special tokens are never selected");
                if (input == VOCAB.maskId()) {
                    masked++;
                } else if (input == b.labels()[i]) {
                    kept++;
                } else {
                    random++;
                    assertFalse(VOCAB.isSpecial(input), "random replacement is a non-special token");
                }
            }
            candidates += b.realTokens() - 2L * b.rows();
        }
        assertEquals(0.15, (double) selected / candidates, 0.005);
        assertEquals(0.80, (double) masked / selected, 0.02);
        assertEquals(0.10, (double) random / selected, 0.015);
        assertEquals(0.10, (double) kept / selected, 0.015);
    }

    @Test
    void sameSeedPartitionEpochMasksIdenticallyAndOtherEpochsDiffer() {
        List<EncodedSequence> seqs = sequences(64, 30, 2);
        BatchConfig config = BatchConfig.maskedLm(8);
        List<MiniBatch> epoch0 = take(new MiniBatchIterator(seqs, config, VOCAB, 11, 3, new BatchPosition(0, 0), 1), 8);
        List<MiniBatch> again = take(new MiniBatchIterator(seqs, config, VOCAB, 11, 3, new BatchPosition(0, 0), 1), 8);
        List<MiniBatch> epoch1 = take(new MiniBatchIterator(seqs, config, VOCAB, 11, 3, new BatchPosition(1, 0), 2), 8);
        assertEquals(epoch0, again);
        assertFalse(epoch0.equals(epoch1));
        // same sequence, same epoch, different position in the order: identical masking
        BatchConfig single = BatchConfig.maskedLm(64);
        MiniBatch all = new MiniBatchIterator(seqs, single, VOCAB, 11, 3, BatchPosition.start(), 1).next();
        MiniBatch allAgain = new MiniBatchIterator(seqs, single.withBucketing(1), VOCAB, 11, 3, BatchPosition.start(), 1).next();
        assertEquals(sortedRows(all), sortedRows(allAgain));
    }

    @Test
    void differentPartitionsMaskDifferently() {
        List<EncodedSequence> seqs = sequences(16, 30, 3);
        BatchConfig config = BatchConfig.maskedLm(16).withBucketing(1);
        MiniBatch p0 = new MiniBatchIterator(seqs, config, VOCAB, 5, 0, BatchPosition.start(), 1).next();
        MiniBatch p1 = new MiniBatchIterator(seqs, config, VOCAB, 5, 1, BatchPosition.start(), 1).next();
        assertFalse(sortedRows(p0).equals(sortedRows(p1)));
    }

    @Test
    void everySequenceWithContentGetsAtLeastOnePrediction() {
        int[] ids = {VOCAB.clsId(), 10, VOCAB.sepId()};
        int[] inputs = new int[3];
        int[] labels = new int[3];
        MaskingPolicy.bert().apply(ids, VOCAB, new SplittableRandom(1), inputs, labels, 0);
        assertArrayEquals(new int[] {MiniBatch.IGNORE, 10, MiniBatch.IGNORE}, labels);
    }

    private static List<MiniBatch> take(MiniBatchIterator it, int n) {
        List<MiniBatch> out = new ArrayList<>();
        for (int i = 0; i < n && it.hasNext(); i++) {
            out.add(it.next());
        }
        return out;
    }

    /** Rows as "labels|inputs" strings, sorted, to compare batches regardless of row order. */
    static List<String> sortedRows(MiniBatch b) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < b.rows(); r++) {
            int from = r * b.seqLen();
            rows.add(Arrays.toString(Arrays.copyOfRange(b.labels(), from, from + b.seqLen()))
                    + Arrays.toString(Arrays.copyOfRange(b.tokenIds(), from, from + b.seqLen())));
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void labelsSitOnlyOnRealTokens() {
        List<EncodedSequence> seqs = new ArrayList<>(sequences(3, 10, 4));
        seqs.addAll(sequences(3, 25, 5));
        MiniBatch b = new MiniBatchIterator(seqs, BatchConfig.maskedLm(6), VOCAB, 1, 0, BatchPosition.start(), 1).next();
        for (int i = 0; i < b.tokenIds().length; i++) {
            if (b.attentionMask()[i] == 0) {
                assertEquals(VOCAB.padId(), b.tokenIds()[i]);
                assertEquals(MiniBatch.IGNORE, b.labels()[i]);
            }
        }
        assertTrue(b.labelledPositions() > 0);
    }
}
