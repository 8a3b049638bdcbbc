/**
 * Spreading encoded sequences over the workers: a deterministic repartition by each sequence's position (not Spark's
 * randomly started round-robin), sorted by position within each partition and persisted once, so every worker sees
 * the same sequences in the same order in every run, and the minibatch streams of all partitions.
 */
package org.sparkformer.data.shard;
