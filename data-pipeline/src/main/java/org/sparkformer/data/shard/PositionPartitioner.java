package org.sparkformer.data.shard;

import org.apache.spark.Partitioner;

/** Sends the record at position {@code p} (a {@code Long} key) to partition {@code p mod n}: balanced and stable. */
final class PositionPartitioner extends Partitioner {

    private final int partitions;

    PositionPartitioner(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.floorMod((Long) key, (long) partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
