package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.Checkpoint;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.training.TrainingOutcome;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults 3 and 4: a driver stopped between checkpoints resumes to the same parameters as a run that was
 * never stopped; damaged checkpoints are skipped (with a warning) in favour of the previous complete one.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(18)
class CheckpointResumeTest {

    @TempDir
    java.nio.file.Path tmp;

    private final FileSystem local = localFs();

    /**
     * 64 sequences on 2 workers: 4 minibatches per epoch. With K=3 and 3 epochs the 4 rounds end at
     * minibatch 3, 6, 9, 12: the checkpoint of round 1 is mid-epoch and the resumed run crosses the
     * boundary into epoch 1. With K=2 and 2 epochs the checkpoint of round 2 sits on the epoch boundary.
     */
    @ParameterizedTest(name = "K={0}, {1} epochs, checkpoint every {2}, driver stops after round {3}")
    @MethodSource("driverStops")
    void driverStoppedBetweenCheckpointsResumesBitIdentical(int frequency, int epochs, int every, int stopAfter)
            throws Exception {
        driverStoppedBetweenCheckpointsResumesBitIdentical(local, new Path(tmp.resolve("checkpoints").toUri()),
                frequency, epochs, every, stopAfter);
    }

    /** Averaging frequency, epochs, checkpoint interval and the round after which the driver stops. */
    static Stream<Arguments> driverStops() {
        return Stream.of(Arguments.of(3, 3, 1, 2), Arguments.of(2, 2, 2, 3));
    }

    /** The stop-and-resume scenario with its checkpoints in {@code dir} on {@code fs}. */
    static void driverStoppedBetweenCheckpointsResumesBitIdentical(FileSystem fs, Path dir, int frequency, int epochs,
                                                                   int every, int stopAfter) throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null, "training.averagingFrequency=" + frequency,
                "training.epochs=" + epochs, "training.checkpointEvery=" + every);
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 3), 2);
        TrainingOutcome uninterrupted = TestBed.trainSharded(config, data, null);

        RuntimeException stop = assertThrows(RuntimeException.class, () -> TestBed.trainSharded(config, data,
                new CheckpointSettings(fs, dir, false), new StopAfterRound(stopAfter)));
        assertEquals("driver stopped after round " + stopAfter, stop.getMessage());
        int newest = newestComplete(fs, dir).orElseThrow();
        assertEquals((stopAfter - 1) / every * every, newest, "the stop fell between checkpoints");

        RoundCounter counter = new RoundCounter();
        TrainingOutcome resumed = TestBed.trainSharded(config, data, new CheckpointSettings(fs, dir, true), counter);

        assertEquals(uninterrupted.rounds() - newest, counter.rounds, "resumed after round " + newest);
        assertEquals(uninterrupted.rounds(), resumed.rounds());
        assertArrayEquals(uninterrupted.params(), resumed.params(), "parameters bit-identical");
        assertArrayEquals(uninterrupted.optState(), resumed.optState(), "optimizer state bit-identical");
    }

    enum Damage { TRUNCATED_PARAMS, BIT_FLIP_IN_OPTIMIZER, MANIFEST_MISSING, MANIFEST_TRUNCATED, STATE_SAYS_OTHER_ROUND }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedNewestCheckpointIsSkippedWithAWarningAndThePreviousOneResumes(Damage damage) throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null, "training.keepLastCheckpoints=4");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 4), 2);
        Path dir = new Path(tmp.resolve("checkpoints").toUri());
        TrainingOutcome full = TestBed.trainSharded(config, data, new CheckpointSettings(local, dir, false));
        assertEquals(List.of(1, 2, 3, 4), store(dir, 4).committedRounds());

        damage(dir, 4, damage);
        RoundCounter counter = new RoundCounter();
        TrainingOutcome resumed;
        try (TestBed.CapturedLog log = TestBed.captureWarnings(CheckpointStore.class)) {
            resumed = TestBed.trainSharded(config, data, new CheckpointSettings(local, dir, true), counter);
            assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("skipping checkpoint ")
                    && m.contains(CheckpointStore.dirName(4))), "skip reported: " + log.messages());
        }
        assertEquals(1, counter.rounds, "resumed from round 3, ran round 4 again");
        assertArrayEquals(full.params(), resumed.params(), "parameters bit-identical");
        assertEquals(3, store(dir, 4).read(3, null).round(), "round 3 stays intact");
        assertEquals(Optional.of(4), newestComplete(dir), "round 4 written anew");
    }

    /** Crash points of a checkpoint commit: the process dies there, nothing after it runs. */
    @ParameterizedTest
    @MethodSource("commitCrashPoints")
    void crashWhileWritingACheckpointNeverLeavesOneResumeWouldPick(String crashPoint) throws Exception {
        crashWhileWritingACheckpointNeverLeavesOneResumeWouldPick(local, new Path(tmp.resolve("checkpoints").toUri()),
                crashPoint);
    }

    /** Every step of a commit: the data files created and written, the rename into place, the manifest. */
    static Stream<String> commitCrashPoints() {
        return Stream.of("create:params.safetensors", "write:params.safetensors", "create:optimizer.safetensors",
                "write:state.json", "rename:", "create:MANIFEST.json", "write:MANIFEST.json");
    }

    /** The commit crash scenario with the checkpoints in {@code dir} on {@code fs}. */
    static void crashWhileWritingACheckpointNeverLeavesOneResumeWouldPick(FileSystem fs, Path dir, String crashPoint)
            throws Exception {
        Checkpoint good = checkpointOfRound(fs, dir, 4);
        FaultyFileSystem crashing = FaultyFileSystem.crashingAt(fs, crashPoint);
        Checkpoint next = new Checkpoint(withRound(good, 5), good.params(), good.optimizer());

        assertThrows(IOException.class, () -> new CheckpointStore(crashing, dir, 3, MetricGoal.MINIMIZE).write(next));
        assertTrue(crashing.crashed(), "the crash point " + crashPoint + " was reached");

        assertEquals(Optional.of(4), newestComplete(fs, dir), "after a crash at " + crashPoint);
        CheckpointStore afterRestart = store(fs, dir, 3);
        afterRestart.cleanUp();
        assertEquals(List.of(4), afterRestart.roundDirectories(), "clean-up removes what the crash left");
    }

    /** Crash points of a commit that replaces an existing checkpoint of the same round (a retried round, say). */
    @ParameterizedTest
    @MethodSource("replacingCommitCrashPoints")
    void crashWhileReplacingACheckpointOfTheSameRoundKeepsTheEarlierOne(String crashPoint) throws Exception {
        crashWhileReplacingACheckpointOfTheSameRoundKeepsTheEarlierOne(local,
                new Path(tmp.resolve("checkpoints").toUri()), crashPoint);
    }

    /** The steps of a replacing commit after the earlier checkpoint was moved aside. */
    static Stream<String> replacingCommitCrashPoints() {
        return Stream.of("rename:", "create:MANIFEST.json", "write:MANIFEST.json");
    }

    /** The replacing-commit crash scenario with the checkpoints in {@code dir} on {@code fs}. */
    static void crashWhileReplacingACheckpointOfTheSameRoundKeepsTheEarlierOne(FileSystem fs, Path dir,
                                                                              String crashPoint) throws Exception {
        Checkpoint good = checkpointOfRound(fs, dir, 4);
        FaultyFileSystem crashing = FaultyFileSystem.crashingAt(fs, crashPoint);

        assertThrows(IOException.class, () -> new CheckpointStore(crashing, dir, 3, MetricGoal.MINIMIZE).write(good));
        assertTrue(crashing.crashed(), "the crash point " + crashPoint + " was reached");

        CheckpointStore afterRestart = store(fs, dir, 3);
        Checkpoint kept = afterRestart.latestComplete().orElseThrow(() -> new AssertionError("round 4 was lost"));
        assertEquals(good.state(), kept.state(), "the earlier round 4 is back in its place");
        assertArrayEquals(good.params().get(0).data(), kept.params().get(0).data());
        afterRestart.cleanUp();
        assertEquals(List.of(4), afterRestart.roundDirectories());
        assertEquals(List.of(CheckpointStore.dirName(4)), listNames(fs, dir), "nothing moved aside is left behind");
    }

    private static List<String> listNames(FileSystem fs, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (var s : fs.listStatus(dir)) {
            names.add(s.getPath().getName());
        }
        return names;
    }

    @Test
    void keepLastHoldsByRoundNotModificationTimeAfterCrashesBetweenCommitAndCleanUp() throws Exception {
        Path dir = new Path(tmp.resolve("checkpoints").toUri());
        Checkpoint good = checkpointOfRound(local, dir, 1);
        CheckpointStore store = store(dir, 2);
        long now = System.currentTimeMillis();
        for (int round = 2; round <= 5; round++) {
            // each commit is followed by a crash before its clean-up; older rounds get newer times
            Path committed = store.commit(new Checkpoint(withRound(good, round), good.params(), good.optimizer()));
            local.setTimes(committed, now - round * 60_000L, -1);
        }
        assertEquals(List.of(1, 2, 3, 4, 5), store.committedRounds());

        store.write(new Checkpoint(withRound(good, 6), good.params(), good.optimizer()));

        assertEquals(List.of(5, 6), store.roundDirectories(), "the newest two by round survive");
        assertEquals(6, store.latestComplete().orElseThrow().round());
    }

    // ------------------------------------------------------------------ support

    /** Throws after round {@code k}, before any checkpoint of that round is written: the driver stops. */
    record StopAfterRound(int k) implements TrainingListener {
        @Override
        public void onRoundEnd(TrainingState state) {
            if (state.round() == k) {
                throw new IllegalStateException("driver stopped after round " + k);
            }
        }
    }

    /** Counts the rounds a run trained. */
    static final class RoundCounter implements TrainingListener {
        int rounds;

        @Override
        public void onRoundEnd(TrainingState state) {
            rounds++;
        }
    }

    private static CheckpointStore store(Path dir, int keepLast) {
        return store(localFs(), dir, keepLast);
    }

    private static CheckpointStore store(FileSystem fs, Path dir, int keepLast) {
        return new CheckpointStore(fs, dir, keepLast, MetricGoal.MINIMIZE);
    }

    private static Optional<Integer> newestComplete(Path dir) throws IOException {
        return newestComplete(localFs(), dir);
    }

    private static Optional<Integer> newestComplete(FileSystem fs, Path dir) throws IOException {
        return store(fs, dir, 1).latestComplete().map(Checkpoint::round);
    }

    /** A genuine checkpoint of round {@code round} from a short tiny run, written into {@code dir} on {@code fs}. */
    private static Checkpoint checkpointOfRound(FileSystem fs, Path dir, int round) throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null, "training.keepLastCheckpoints=4");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 5), 2);
        if (round < 4) {
            assertThrows(IllegalStateException.class, () -> TestBed.trainSharded(config, data,
                    new CheckpointSettings(fs, dir, false), new StopAfterRound(round + 1)));
        } else {
            TestBed.trainSharded(config, data, new CheckpointSettings(fs, dir, false));
        }
        CheckpointStore store = store(fs, dir, 4);
        for (int r : new ArrayList<>(store.roundDirectories())) {
            if (r != round) {
                fs.delete(new Path(dir, CheckpointStore.dirName(r)), true);
            }
        }
        return store.read(round, null);
    }

    private static org.sparkformer.driver.checkpoint.CheckpointState withRound(Checkpoint c, int round) {
        var s = c.state();
        return new org.sparkformer.driver.checkpoint.CheckpointState(round, s.step(), s.jobSeed(), s.epoch(),
                s.partitionBatchPositions(), s.scheduleStep(), s.validationMetric(), s.bestMetric(), s.bestRound());
    }

    private void damage(Path dir, int round, Damage damage) throws IOException {
        java.nio.file.Path roundDir = java.nio.file.Path.of(new Path(dir, CheckpointStore.dirName(round)).toUri());
        switch (damage) {
            case TRUNCATED_PARAMS -> truncate(roundDir.resolve(CheckpointStore.PARAMS), 0.5);
            case BIT_FLIP_IN_OPTIMIZER -> flipBit(roundDir.resolve(CheckpointStore.OPTIMIZER));
            case MANIFEST_MISSING -> Files.delete(roundDir.resolve(CheckpointStore.MANIFEST));
            case MANIFEST_TRUNCATED -> truncate(roundDir.resolve(CheckpointStore.MANIFEST), 0.6);
            case STATE_SAYS_OTHER_ROUND -> {
                // a consistent manifest around a state.json that belongs elsewhere
                java.nio.file.Path state = roundDir.resolve(CheckpointStore.STATE);
                Files.writeString(state, Files.readString(state).replaceFirst("\"round\" : 4", "\"round\" : 3"));
                rewriteManifest(roundDir);
            }
        }
        Files.deleteIfExists(roundDir.resolve("." + CheckpointStore.MANIFEST + ".crc"));
        try (var crcs = Files.list(roundDir)) {
            for (java.nio.file.Path crc : crcs.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(crc);
            }
        }
    }

    private static void rewriteManifest(java.nio.file.Path roundDir) throws IOException {
        var names = new java.util.TreeSet<>(List.of(CheckpointStore.PARAMS, CheckpointStore.OPTIMIZER, CheckpointStore.STATE));
        Files.write(roundDir.resolve(CheckpointStore.MANIFEST),
                org.sparkformer.kernels.io.ChecksumManifest.ofLocalFiles(roundDir, names).toBytes());
    }

    static void truncate(java.nio.file.Path file, double keep) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) (f.length() * keep));
        }
    }

    static void flipBit(java.nio.file.Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() - 5;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    private static FileSystem localFs() {
        try {
            return FileSystem.getLocal(TestBed.localConf());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
