package org.sparkformer.tests;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.storage.StagedDirectory;
import org.sparkformer.driver.training.TrainingOutcome;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage that fails under the writes that matter: a crash while the final model is written, and a disk that fills up
 * while a checkpoint or the model is written. The model already at the output stays loadable with its checksums, a
 * full disk is reported in one line naming the file, and the checkpoint before it is intact and resumes bit-identically.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(5)
class StorageFaultTest {

    @TempDir
    java.nio.file.Path tmp;

    private final FileSystem local = localFs();

    /**
     * Crash points of a model write over an earlier model: part-way through the weights, at the checksums, and after the
     * earlier model was moved aside but before the new one was renamed into its place.
     */
    @ParameterizedTest
    @MethodSource("modelWriteCrashPoints")
    void crashWhileWritingTheFinalModelLeavesTheEarlierModelLoadableWithItsChecksums(String crashPoint) throws Exception {
        crashWhileWritingTheFinalModelLeavesTheEarlierModelLoadableWithItsChecksums(local,
                new Path(tmp.resolve("out/model").toUri()), crashPoint);
    }

    static Stream<String> modelWriteCrashPoints() {
        return Stream.of("write:model.safetensors", "create:checksums.json", "rename:_tmp-model");
    }

    /** The model-write crash scenario with the model at {@code target} on {@code fs}. */
    static void crashWhileWritingTheFinalModelLeavesTheEarlierModelLoadableWithItsChecksums(FileSystem fs, Path target,
                                                                                            String crashPoint)
            throws Exception {
        TrainedModel earlier = TestBed.tinyModel(0);
        earlier.save(fs, target, TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, false);
        TrainedModel next = TestBed.tinyModel(0.5f);
        FaultyFileSystem crashing = FaultyFileSystem.crashingAt(fs, crashPoint);

        assertThrows(IOException.class, () -> next.saveHoldingLock(crashing, target, TestBed.TINY_METRICS,
                TestBed.TINY_PROVENANCE, null, true));
        assertTrue(crashing.crashed(), "the crash point " + crashPoint + " was reached");

        TrainedModel loaded;
        try (TestBed.CapturedLog log = TestBed.captureWarnings(StagedDirectory.class)) {
            loaded = TrainedModel.load(fs, target);      // every file verified against checksums.json first
            if (crashPoint.startsWith("rename:")) {
                assertFalse(fs.exists(target), "the crash fell between moving the earlier model aside and the rename");
                assertTrue(log.messages().stream().anyMatch(m -> m.contains("reading the previous version from")
                        && m.contains("_old-model-")), "read from where it was moved: " + log.messages());
            }
        }
        assertArrayEquals(earlier.params(), loaded.params(), "the earlier model, bit for bit");

        next.saveHoldingLock(fs, target, TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, true);
        assertArrayEquals(next.params(), TrainedModel.load(fs, target).params(), "the next write replaces it");
        assertEquals(List.of("model"), names(fs, target.getParent()), "and leaves nothing of the crash behind");
    }

    @Test
    void diskFullWhileWritingTheModelIsReportedInOneLineNamingTheFileAndTheEarlierModelStaysLoadable() throws Exception {
        Path target = new Path(tmp.resolve("out/model").toUri());
        TrainedModel earlier = TestBed.tinyModel(0);
        earlier.save(local, target, TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, false);
        FaultyFileSystem disk = FaultyFileSystem.diskThatFills(local);
        disk.fillUpAfter(2_000);

        IOException full = assertThrows(IOException.class, () -> TestBed.tinyModel(0.5f).saveHoldingLock(disk, target,
                TestBed.TINY_METRICS, TestBed.TINY_PROVENANCE, null, true));

        assertTrue(disk.full(), "the disk filled up");
        assertOneLineNaming(full.getMessage(), "/out/_tmp-model-[0-9a-f-]{36}/model\\.safetensors");
        assertArrayEquals(earlier.params(), TrainedModel.load(local, target).params(), "the earlier model, verified");
        assertEquals(List.of("model"), names(target.getParent()), "the staged model was removed");
    }

    @Test
    void diskFullWhileWritingACheckpointIsReportedInOneLineAndTheRunResumesBitIdenticalFromTheOneBefore()
            throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 6), 2);
        TrainingOutcome uninterrupted = TestBed.trainSharded(config, data, null);
        Path dir = new Path(tmp.resolve("checkpoints").toUri());
        FaultyFileSystem disk = FaultyFileSystem.diskThatFills(local);

        Exception full = assertThrows(Exception.class, () -> TestBed.trainSharded(config, data,
                new CheckpointSettings(disk, dir, false), new FillDiskAtRound(3, disk, 1_000)));

        assertTrue(disk.full(), "the disk filled up");
        assertOneLineNaming(full.getMessage(), "/checkpoints/_tmp-round-000003-[0-9a-f-]{36}/params\\.safetensors");
        CheckpointStore store = new CheckpointStore(local, dir, 3, MetricGoal.MINIMIZE);
        assertEquals(List.of(CheckpointStore.dirName(1), CheckpointStore.dirName(2)), names(dir),
                "rounds 1 and 2, nothing of round 3");
        assertEquals(2, store.latestComplete().orElseThrow().round(), "round 2 is complete and its digests match");

        CheckpointResumeTest.RoundCounter counter = new CheckpointResumeTest.RoundCounter();
        TrainingOutcome resumed = TestBed.trainSharded(config, data, new CheckpointSettings(local, dir, true), counter);
        assertEquals(uninterrupted.rounds() - 2, counter.rounds, "resumed after round 2");
        assertArrayEquals(uninterrupted.params(), resumed.params(), "parameters bit-identical");
        assertArrayEquals(uninterrupted.optState(), resumed.optState(), "optimizer state bit-identical");
    }

    /** Leaves {@code bytes} of room on the disk at the end of round {@code round}, before its checkpoint is written. */
    record FillDiskAtRound(int round, FaultyFileSystem disk, long bytes) implements TrainingListener {
        @Override
        public void onRoundEnd(TrainingState state) {
            if (state.round() == round) {
                disk.fillUpAfter(bytes);
            }
        }
    }

    /** {@code message} is one line, {@code cannot write <path>: No space left on device}, the path ending as given. */
    private static void assertOneLineNaming(String message, String pathEnd) {
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.matches("cannot write file:/.*" + pathEnd + ": " + FaultyFileSystem.NO_SPACE), message);
    }

    private List<String> names(Path dir) throws IOException {
        return names(local, dir);
    }

    /** The names in {@code dir}, sorted, without hidden files (Hadoop's .crc side files). */
    static List<String> names(FileSystem fs, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (!s.getPath().getName().startsWith(".")) {
                names.add(s.getPath().getName());
            }
        }
        names.sort(null);
        return names;
    }

    private static FileSystem localFs() {
        try {
            return FileSystem.getLocal(TestBed.localConf());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
