package org.sparkformer.data.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.SparkTestSupport;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

class ShardedSequencesTest {

    static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(List.of("a", "b", "c", "d", "e", "f", "g", "h"));

    static JavaRDD<EncodedSequence> sequences(int n, int slices) {
        List<EncodedSequence> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(EncodedSequence.unlabelled(new int[] {2, 5 + i % 8, 5 + (i / 8) % 8, 3}, false, "s" + i));
        }
        return JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext()).parallelize(seqs, slices);
    }

    @Test
    void everySequenceLandsInExactlyOnePartitionBalancedAndStable() {
        ShardedSequences sharded = ShardedSequences.shard(sequences(103, 3), 4, 2);
        assertEquals(8, sharded.partitions());
        assertEquals(103, sharded.count());
        List<String> refs = new ArrayList<>(sharded.rdd().map(EncodedSequence::sourceRef).collect());
        Collections.sort(refs);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            expected.add("s" + i);
        }
        Collections.sort(expected);
        assertEquals(expected, refs);
        List<List<String>> layout = sharded.rdd().glom().map(p -> p.stream().map(EncodedSequence::sourceRef).toList()).collect();
        for (List<String> part : layout) {
            assertTrue(part.size() == 12 || part.size() == 13, "balanced: " + part.size());
        }
        assertEquals(List.of("s0", "s8", "s16"), layout.get(0).subList(0, 3), "position p goes to partition p mod 8, in order");
        List<List<String>> again = ShardedSequences.shard(sequences(103, 5), 4, 2).rdd().glom()
                .map(p -> p.stream().map(EncodedSequence::sourceRef).toList()).collect();
        assertEquals(layout, again, "same layout whatever the input partitioning");
        // 103 = 7 partitions of 13 + 1 of 12 -> ceil(13/4) = 4 batches, ceil(12/4) = 3
        assertEquals(List.of(4, 4, 4, 4, 4, 4, 4, 3), sharded.batchesPerEpoch(4));
        sharded.unpersist();
    }

    @Test
    void batchStreamsOfAllPartitionsResumeAtAPosition() {
        ShardedSequences sharded = ShardedSequences.shard(sequences(40, 2), 2, 1);
        BatchConfig config = BatchConfig.maskedLm(4);
        List<String> all = sharded.batches(config, VOCAB, 17, BatchPosition.start(), 2).map(ShardedSequencesTest::fingerprint).collect();
        assertEquals(2 * 2 * 5, all.size());
        List<String> resumed = sharded.batches(config, VOCAB, 17, new BatchPosition(1, 2), 2).map(ShardedSequencesTest::fingerprint).collect();
        // partition 0 then partition 1, each 10 batches from the start, 3 after resuming at (1, 2)
        List<String> expected = new ArrayList<>(all.subList(7, 10));
        expected.addAll(all.subList(17, 20));
        assertEquals(expected, resumed);
        List<EncodedSequence> partition1 = sharded.rdd().glom().collect().get(1);
        List<String> direct = new ArrayList<>();
        new MiniBatchIterator(partition1, config, VOCAB, 17, 1, BatchPosition.start(), 2).forEachRemaining(b -> direct.add(fingerprint(b)));
        assertEquals(all.subList(10, 20), direct);
        double padding = sharded.paddingFraction(config, 17);
        assertEquals(0.0, padding, 1e-12, "equal-length sequences need no padding");
        sharded.unpersist();
    }

    /** A batch as text: MiniBatch itself does not travel between JVMs. */
    static String fingerprint(MiniBatch b) {
        return b.rows() + "x" + b.seqLen() + java.util.Arrays.toString(b.tokenIds()) + java.util.Arrays.toString(b.attentionMask())
                + java.util.Arrays.toString(b.labels());
    }
}
