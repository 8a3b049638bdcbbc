package org.sparkformer.tests;

import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.TrainingOutcome;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DataNode lost during a run, on an HDFS of three DataNodes with two replicas per block: the checkpoints written
 * before and after the loss and a model written before it all read back with their digests, and the run ends with
 * the bits of a run on a local disk.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class DataNodeLossTest {

    @Test
    void aDataNodeLostDuringARunLosesNothingOnHdfsAndTheRunIsBitIdentical() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null, "training.keepLastCheckpoints=10");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 7), 2);
        TrainingOutcome undisturbed = TestBed.trainSharded(config, data, null);

        try (MiniDFSCluster dfs = TestBed.startHdfs(3, 2)) {
            FileSystem hdfs = dfs.getFileSystem();
            Path runs = new Path(hdfs.getUri() + "/runs");
            Path model = new Path(runs, "model");
            TrainedModel earlier = TestBed.tinyModel(0);
            earlier.save(hdfs, model, TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, false);
            Path checkpoints = new Path(runs, "checkpoints");
            LoseDataNodeAtRound loss = new LoseDataNodeAtRound(dfs, 2, runs);

            TrainingOutcome run = TestBed.trainSharded(config, data, new CheckpointSettings(hdfs, checkpoints, false),
                    loss);

            assertTrue(loss.replicasLost > 0, "the lost DataNode held replicas of what was written before");
            assertEquals(2, dfs.getDataNodes().size(), "two DataNodes left");
            assertArrayEquals(undisturbed.params(), run.params(), "parameters bit-identical");
            assertArrayEquals(undisturbed.optState(), run.optState(), "optimizer state bit-identical");
            CheckpointStore store = new CheckpointStore(hdfs, checkpoints, 10, MetricGoal.MINIMIZE);
            assertEquals(List.of(1, 2, 3, 4), store.committedRounds());
            for (int round : store.committedRounds()) {
                assertEquals(round, store.read(round, null).round(), "round " + round + " reads with its digests");
            }
            assertArrayEquals(run.params(), store.read(4, null).params().get(0).data(), "the last checkpoint");
            assertArrayEquals(earlier.params(), TrainedModel.load(hdfs, model).params(), "the model written before");
        }
    }

    /**
     * Stops DataNode 0 at the end of round {@code round} (before that round's checkpoint), counting the block replicas
     * it held of the files under {@code written}.
     */
    static final class LoseDataNodeAtRound implements TrainingListener {
        private final MiniDFSCluster dfs;
        private final int round;
        private final Path written;
        int replicasLost;

        LoseDataNodeAtRound(MiniDFSCluster dfs, int round, Path written) {
            this.dfs = dfs;
            this.round = round;
            this.written = written;
        }

        @Override
        public void onRoundEnd(TrainingState state) throws IOException {
            if (state.round() != round) {
                return;
            }
            String lost = "127.0.0.1:" + dfs.getDataNodes().get(0).getXferPort();
            RemoteIterator<LocatedFileStatus> files = dfs.getFileSystem().listFiles(written, true);
            while (files.hasNext()) {
                for (BlockLocation block : files.next().getBlockLocations()) {
                    replicasLost += (int) Arrays.stream(block.getNames()).filter(lost::equals).count();
                }
            }
            dfs.stopDataNode(0);
        }
    }
}
