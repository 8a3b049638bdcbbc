package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.api.PretrainResult;
import org.sparkformer.driver.api.Pretrainer;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fault 7: HDFS as data source and checkpoint store; a run stopped after round 2 resumes from HDFS. */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class HdfsCheckpointTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void pretrainWithCheckpointsOnHdfsResumesBitIdenticalFromThem() throws Exception {
        FileSystem hdfs = TestBed.hdfs();
        Path corpus = new Path(hdfs.getUri() + "/data/corpus.txt");
        hdfs.copyFromLocalFile(new Path(TestBed.corpusSlice(tmp.resolve("corpus.txt"), 60).toUri()), corpus);
        SparkformerConfig config = TestBed.tinyConfig(corpus.toString(), "training.keepLastCheckpoints=10");
        Path checkpoints = new Path(hdfs.getUri() + "/runs/pretrain/checkpoints");

        PretrainResult full = new Pretrainer(TestBed.spark(), config)
                .setCheckpoints(new CheckpointSettings(hdfs, checkpoints, false)).fit();
        CheckpointStore store = new CheckpointStore(hdfs, checkpoints, 10, MetricGoal.MINIMIZE);
        List<Integer> rounds = store.committedRounds();
        assertEquals(full.outcome().rounds(), rounds.size(), "a checkpoint per round on HDFS: " + rounds);

        // the driver stopped after round 2: later checkpoints were never written
        for (int round : rounds) {
            if (round > 2) {
                hdfs.delete(new Path(checkpoints, CheckpointStore.dirName(round)), true);
            }
        }
        PretrainResult resumed = new Pretrainer(TestBed.spark(), config)
                .setCheckpoints(new CheckpointSettings(hdfs, checkpoints, true)).fit();

        assertArrayEquals(full.outcome().params(), resumed.outcome().params(), "parameters bit-identical");
        assertEquals(rounds.get(rounds.size() - 1), store.latestComplete().orElseThrow().round());

        Path modelDir = new Path(hdfs.getUri() + "/runs/pretrain/model");
        Provenance provenance = new Provenance("test", "4.0.1", "1.0.0-M2.1", "17", "pretrain", "{}", "none",
                "2026-01-01T00:00:00Z");
        resumed.model().save(hdfs, modelDir, Map.of(), provenance, null, false);
        assertArrayEquals(full.model().params(), TrainedModel.load(hdfs, modelDir).params(), "model round-trips on HDFS");
    }
}
