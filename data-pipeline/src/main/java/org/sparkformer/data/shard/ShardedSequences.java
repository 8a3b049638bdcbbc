package org.sparkformer.data.shard;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.EpochPlan;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;
import scala.Tuple2;

/**
 * Encoded sequences spread over {@code workers * factor} partitions: the sequence at position {@code p} of the input
 * (its index in input order) goes to partition {@code p mod partitions}, partitions are sorted by position and
 * persisted once. Each sequence is in exactly one partition, and the layout is the same in every run over the same
 * input.
 */
public final class ShardedSequences {

    private final JavaRDD<EncodedSequence> sequences;
    private final long count;

    private ShardedSequences(JavaRDD<EncodedSequence> sequences, long count) {
        this.sequences = sequences;
        this.count = count;
    }

    /** Shards {@code input} into {@code workers * factor} partitions and materializes it once. */
    public static ShardedSequences shard(JavaRDD<EncodedSequence> input, int workers, int factor) {
        if (workers <= 0 || factor <= 0) {
            throw new IllegalArgumentException("workers and factor must be > 0, got " + workers + " and " + factor);
        }
        int partitions = workers * factor;
        JavaRDD<EncodedSequence> sharded = input.zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .repartitionAndSortWithinPartitions(new PositionPartitioner(partitions), Comparator.<Long>naturalOrder())
                .values()
                .setName("sequences sharded over " + partitions + " partitions")
                .persist(StorageLevel.MEMORY_AND_DISK());
        long count = sharded.count();
        return new ShardedSequences(sharded, count);
    }

    /** The sharded sequences (persisted). */
    public JavaRDD<EncodedSequence> rdd() {
        return sequences;
    }

    public int partitions() {
        return sequences.getNumPartitions();
    }

    public long count() {
        return count;
    }

    /**
     * The minibatches of every partition from {@code start} until {@code endEpoch}: partition {@code i} of the result
     * is partition {@code i}'s batch stream. MiniBatch is not serializable, so consume the batches on the executors
     * (mapPartitions, foreachPartition); workers that train inside {@code mapPartitionsWithIndex} can equally call
     * {@link MiniBatchIterator#over} themselves.
     */
    public JavaRDD<MiniBatch> batches(BatchConfig config, Vocabulary vocabulary, long seed, BatchPosition start, int endEpoch) {
        Broadcast<Vocabulary> vocab = JavaSparkContext.fromSparkContext(sequences.context()).broadcast(vocabulary);
        return sequences.mapPartitionsWithIndex((partition, data) ->
                (Iterator<MiniBatch>) MiniBatchIterator.over(data, config, vocab.value(), seed, partition, start, endEpoch), true);
    }

    /** Batches per epoch of each partition. */
    public List<Integer> batchesPerEpoch(int batchSize) {
        return sequences.mapPartitions(data -> {
            int n = 0;
            while (data.hasNext()) {
                data.next();
                n++;
            }
            return List.of(EpochPlan.batchesPerEpoch(n, batchSize)).iterator();
        }).collect();
    }

    /** Share of padded cells in epoch 0's batches over all partitions (0 when there are none). */
    public double paddingFraction(BatchConfig config, long seed) {
        Tuple2<Long, Long> realAndCells = sequences.mapPartitionsWithIndex((partition, data) -> {
            int[] lengths = toLengths(data);
            long real = 0;
            for (int l : lengths) {
                real += l;
            }
            long cells = EpochPlan.of(lengths, config, seed, partition, 0).paddedCells(lengths);
            return List.of(new Tuple2<>(real, cells)).iterator();
        }, true).reduce((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()));
        return realAndCells._2() == 0 ? 0 : 1.0 - (double) realAndCells._1() / realAndCells._2();
    }

    private static int[] toLengths(Iterator<EncodedSequence> data) {
        org.sparkformer.data.tokenize.IntList lengths = new org.sparkformer.data.tokenize.IntList();
        data.forEachRemaining(s -> lengths.add(s.length()));
        return lengths.toArray();
    }

    public void unpersist() {
        sequences.unpersist(false);
    }
}
