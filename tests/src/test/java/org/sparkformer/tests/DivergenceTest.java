package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.Checkpoint;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.training.TrainingDivergedException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault 5: a loss that turns NaN stops the job naming round and partition; earlier checkpoints stay intact. */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class DivergenceTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void absurdLearningRateStopsTheJobNamingRoundAndPartitionAndKeepsTheLastGoodCheckpoint() throws Exception {
        // one step per round for the first rounds: round 1 takes a finite but absurd step, round 2's loss is not finite
        SparkformerConfig config = TestBed.tinyConfig(null, "training.lr=1e30", "training.clipNorm=0",
                "training.averagingWarmupRounds=4", "training.keepLastCheckpoints=5");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 6), 2);
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        Path dir = new Path(tmp.resolve("checkpoints").toUri());

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> TestBed.trainSharded(config, data, new CheckpointSettings(fs, dir, false)));

        Matcher m = Pattern.compile("training diverged in round (\\d+)/\\d+: partition (\\d+): (loss|gradient norm) is")
                .matcher(e.getMessage());
        assertTrue(m.find(), "names round and partition: " + e.getMessage());
        int failedRound = Integer.parseInt(m.group(1));
        assertTrue(e.getMessage().contains("parameters of round " + (failedRound - 1) + " and earlier checkpoints are intact"),
                e.getMessage());
        assertTrue(failedRound >= 2, "a good round came first: " + e.getMessage());

        CheckpointStore store = new CheckpointStore(fs, dir, 5, MetricGoal.MINIMIZE);
        List<Integer> written = store.committedRounds();
        assertEquals(failedRound - 1, written.get(written.size() - 1), "no checkpoint of the diverged round");
        Checkpoint lastGood = store.latestComplete().orElseThrow();
        assertEquals(failedRound - 1, lastGood.round());
        for (float v : lastGood.params().get(0).data()) {
            assertTrue(Float.isFinite(v), "the last good checkpoint holds finite parameters");
        }
    }
}
