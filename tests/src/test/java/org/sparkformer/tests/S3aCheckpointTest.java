package org.sparkformer.tests;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.TrainingOutcome;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints, resume and model directories on an object store: S3A against S3Proxy, a real S3 API server on
 * 127.0.0.1, on which a rename is a copy of each object and a delete. The checkpoint and model-write scenarios of
 * {@link CheckpointResumeTest} and {@link StorageFaultTest} run here as they run on a local disk, and a run whose
 * process dies between the data files of a checkpoint and its manifest resumes from the checkpoint before it with the
 * bits of a run on a local disk. It takes 45 to 95 s on a shared 2-core machine (each S3A call is a few HTTP
 * requests), so it runs only with {@code -Dsparkformer.slowTests=true}, as {@code .ci/run} does; without the
 * flag the ledger names it among the suites not run.
 */
@EnabledIfSystemProperty(named = "sparkformer.slowTests", matches = "true")
@ExtendWith(FaultLedger.class)
@FaultScenarios(18)
class S3aCheckpointTest {

    private static S3ProxyServer server;
    private static FileSystem s3;

    @BeforeAll
    static void startS3() throws Exception {
        server = TestBed.startS3();
        s3 = server.fileSystem();
    }

    @AfterAll
    static void stopS3() throws Exception {
        try {
            if (s3 != null) {
                s3.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** A directory of its own on the bucket for one scenario. */
    private static Path fresh(String name) {
        return server.path(UUID.randomUUID() + "/" + name);
    }

    @ParameterizedTest(name = "K={0}, {1} epochs, checkpoint every {2}, driver stops after round {3}")
    @MethodSource("org.sparkformer.tests.CheckpointResumeTest#driverStops")
    void driverStoppedBetweenCheckpointsOnS3aResumesBitIdenticalToALocalRun(int frequency, int epochs, int every,
                                                                            int stopAfter) throws Exception {
        CheckpointResumeTest.driverStoppedBetweenCheckpointsResumesBitIdentical(s3, fresh("checkpoints"), frequency,
                epochs, every, stopAfter);
    }

    @ParameterizedTest
    @MethodSource("org.sparkformer.tests.CheckpointResumeTest#commitCrashPoints")
    void crashWhileWritingACheckpointOnS3aNeverLeavesOneResumeWouldPick(String crashPoint) throws Exception {
        CheckpointResumeTest.crashWhileWritingACheckpointNeverLeavesOneResumeWouldPick(s3, fresh("checkpoints"),
                crashPoint);
    }

    @ParameterizedTest
    @MethodSource("org.sparkformer.tests.CheckpointResumeTest#replacingCommitCrashPoints")
    void crashWhileReplacingACheckpointOnS3aKeepsTheEarlierOne(String crashPoint) throws Exception {
        CheckpointResumeTest.crashWhileReplacingACheckpointOfTheSameRoundKeepsTheEarlierOne(s3, fresh("checkpoints"),
                crashPoint);
    }

    /**
     * The run's process dies at the end of round 3's checkpoint: its three data files were copied into
     * {@code round-000003}, its manifest was never created, or was cut short. Resume skips round 3, naming it, and goes
     * on from round 2 to the parameters and optimizer state of an uninterrupted run on a local disk.
     */
    @ParameterizedTest
    @ValueSource(strings = {"create:MANIFEST.json", "write:MANIFEST.json"})
    void crashBetweenTheDataFilesAndTheManifestOnS3aLeavesThePreviousCheckpointAndResumesBitIdentical(String crashPoint)
            throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null, "training.keepLastCheckpoints=10");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 8), 2);
        TrainingOutcome uninterrupted = TestBed.trainSharded(config, data, null);
        Path dir = fresh("checkpoints");
        FaultyFileSystem crashing = FaultyFileSystem.crashingOnceArmedAt(s3, crashPoint);

        assertThrows(Exception.class, () -> TestBed.trainSharded(config, data,
                new CheckpointSettings(crashing, dir, false), new ArmCrashAtRound(3, crashing)));

        assertTrue(crashing.crashed(), "the crash point " + crashPoint + " was reached");
        Path round3 = new Path(dir, CheckpointStore.dirName(3));
        for (String file : List.of(CheckpointStore.PARAMS, CheckpointStore.OPTIMIZER, CheckpointStore.STATE)) {
            assertTrue(s3.exists(new Path(round3, file)), "round 3's " + file + " was in place before the manifest");
        }
        assertEquals(crashPoint.startsWith("write:"), s3.exists(new Path(round3, CheckpointStore.MANIFEST)),
                "a manifest cut short, or none");
        CheckpointStore store = new CheckpointStore(s3, dir, 10, MetricGoal.MINIMIZE);
        assertEquals(List.of(1, 2), store.committedRounds(), "round 3 never counts");
        assertEquals(2, store.read(2, null).round(), "round 2 reads with its digests");

        CheckpointResumeTest.RoundCounter counter = new CheckpointResumeTest.RoundCounter();
        TrainingOutcome resumed;
        try (TestBed.CapturedLog log = TestBed.captureWarnings(CheckpointStore.class)) {
            resumed = TestBed.trainSharded(config, data, new CheckpointSettings(s3, dir, true), counter);
            assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("skipping checkpoint ")
                    && m.contains(CheckpointStore.dirName(3))), "skip reported: " + log.messages());
        }
        assertEquals(uninterrupted.rounds() - 2, counter.rounds, "resumed after round 2");
        assertArrayEquals(uninterrupted.params(), resumed.params(), "parameters bit-identical");
        assertArrayEquals(uninterrupted.optState(), resumed.optState(), "optimizer state bit-identical");
        assertEquals(List.of(1, 2, 3, 4), store.committedRounds(), "round 3 written anew, and round 4");
        assertArrayEquals(resumed.params(), store.read(4, null).params().get(0).data(), "the last checkpoint");
    }

    @ParameterizedTest
    @MethodSource("org.sparkformer.tests.StorageFaultTest#modelWriteCrashPoints")
    void crashWhileWritingTheFinalModelOnS3aLeavesTheEarlierModelLoadableWithItsChecksums(String crashPoint)
            throws Exception {
        StorageFaultTest.crashWhileWritingTheFinalModelLeavesTheEarlierModelLoadableWithItsChecksums(s3,
                fresh("out/model"), crashPoint);
    }

    @Test
    void aModelWrittenOverAnEarlierOneOnS3aLoadsWithItsChecksumsVerifiedAndAFlippedByteIsRefused() throws Exception {
        Path target = fresh("out/model");
        TrainedModel earlier = TestBed.tinyModel(0);
        earlier.save(s3, target, TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, false);
        assertArrayEquals(earlier.params(), TrainedModel.load(s3, target).params(), "the model round-trips on S3A");

        TrainedModel next = TestBed.tinyModel(0.5f);
        next.save(s3, target, TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, true);
        assertArrayEquals(next.params(), TrainedModel.load(s3, target).params(), "the replacement loads");
        assertEquals(List.of("model"), StorageFaultTest.names(s3, target.getParent()),
                "nothing staged or moved aside is left, nor the lock");

        Path weights = new Path(target, "model.safetensors");
        byte[] bytes;
        try (FSDataInputStream in = s3.open(weights)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length - 5] ^= 0x10;
        try (FSDataOutputStream out = s3.create(weights, true)) {
            out.write(bytes);
        }
        Exception refused = assertThrows(Exception.class, () -> TrainedModel.load(s3, target));
        assertTrue(refused.getMessage().contains("checksum mismatch for model.safetensors"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
    }

    /** Makes {@code fs}'s crash point live at the end of round {@code round}, before that round's checkpoint. */
    record ArmCrashAtRound(int round, FaultyFileSystem fs) implements TrainingListener {
        @Override
        public void onRoundEnd(TrainingState state) {
            if (state.round() == round) {
                fs.arm();
            }
        }
    }
}
