package org.sparkformer.driver.checkpoint;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.kernels.io.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    /** A fresh checkpoint directory on the local file system or on the shared MiniDFSCluster. */
    private static CheckpointStore store(String fsName, int keepLast, MetricGoal goal) throws IOException {
        FileSystem fs;
        Path dir;
        if (fsName.equals("hdfs")) {
            fs = TestClusters.hdfs();
            dir = fs.makeQualified(new Path("/checkpoints-" + UUID.randomUUID()));
        } else {
            fs = FileSystem.getLocal(TestClusters.localConf());
            dir = new Path(Files.createTempDirectory("sparkformer-ckpt").toUri());
        }
        return new CheckpointStore(fs, dir, keepLast, goal);
    }

    private static FileSystem fsOf(CheckpointStore store) throws IOException {
        return store.dir().getFileSystem(TestClusters.localConf());
    }

    private static Checkpoint checkpoint(int round, Double metric) {
        float[] params = new float[257];
        for (int i = 0; i < params.length; i++) {
            params[i] = round + i * 0.001f;
        }
        CheckpointState state = new CheckpointState(round, round * 8L, 1234L, round / 10, new long[]{round, round + 1},
                round * 8L, metric, metric, metric == null ? -1 : round)
                .withRun(Map.of("training.lr", "0.005"), Map.of("pretrained.model", "file:/models/base",
                        "data.trainPath.fingerprint", "listing-sha256:0a1b"));
        return new Checkpoint(state, List.of(new Tensor("params", new long[]{params.length}, params)),
                List.of(new Tensor("adam.m", new long[]{2}, new float[]{round, -round}),
                        Tensor.f64("adam.step", new long[]{1}, new double[]{round * 8.0})));
    }

    private static Path roundDir(CheckpointStore store, int round) {
        return new Path(store.dir(), CheckpointStore.dirName(round));
    }

    private static void overwrite(FileSystem fs, Path file, byte[] bytes) throws IOException {
        fs.delete(file, false);
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
        }
    }

    private static byte[] readAll(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void writtenCheckpointReadsBackIdentically(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 3, MetricGoal.MAXIMIZE);
        Checkpoint written = checkpoint(12, 0.5);
        Path dir = store.write(written);

        assertEquals("round-000012", dir.getName());
        Checkpoint read = store.latestComplete(Map.of("params", new long[]{257})).orElseThrow();
        assertEquals(written.state(), read.state());
        assertEquals(written.params(), read.params());
        assertEquals(written.optimizer(), read.optimizer());
        FileSystem fs = fsOf(store);
        assertTrue(fs.exists(new Path(dir, CheckpointStore.MANIFEST)));
        assertEquals(0, fs.listStatus(store.dir(), p -> p.getName().startsWith("_tmp")).length, "no temporary directory left");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void checkpointWithoutManifestIsIncompleteAndSkipped(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 5, MetricGoal.MAXIMIZE);
        store.write(checkpoint(1, null));
        store.commit(checkpoint(2, null));
        fsOf(store).delete(new Path(roundDir(store, 2), CheckpointStore.MANIFEST), false);

        assertEquals(1, store.latestComplete().orElseThrow().round());
        assertEquals(List.of(1), store.committedRounds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void truncatedAndBitFlippedCheckpointsAreSkipped(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 5, MetricGoal.MAXIMIZE);
        FileSystem fs = fsOf(store);
        store.write(checkpoint(1, null));
        store.write(checkpoint(2, null));
        store.write(checkpoint(3, null));

        Path params3 = new Path(roundDir(store, 3), CheckpointStore.PARAMS);
        byte[] bytes = readAll(fs, params3);
        overwrite(fs, params3, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Path params2 = new Path(roundDir(store, 2), CheckpointStore.PARAMS);
        byte[] flipped = readAll(fs, params2);
        flipped[flipped.length - 3] ^= 0x10;
        overwrite(fs, params2, flipped);

        assertEquals(1, store.latestComplete().orElseThrow().round());
        IOException e = assertThrows(IOException.class, () -> store.read(2, null));
        assertTrue(e.getMessage().contains("round-000002: checksum mismatch for params.safetensors: sha256 "), e.getMessage());
        IOException t = assertThrows(IOException.class, () -> store.read(3, null));
        assertTrue(t.getMessage().contains("checksum mismatch for params.safetensors: size "), t.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void cleanUpAfterACrashKeepsTheNewestByRoundNotByTime(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 2, MetricGoal.MAXIMIZE);
        FileSystem fs = fsOf(store);
        // a run that crashed between commit and clean-up several times, plus a half-written checkpoint
        for (int round = 1; round <= 5; round++) {
            store.commit(checkpoint(round * 10, null));
        }
        fs.mkdirs(new Path(store.dir(), "_tmp-round-000060-deadbeef"));
        fs.mkdirs(roundDir(store, 60));
        // modification times in reverse order of rounds: clean-up must not trust them
        for (int round = 1; round <= 5; round++) {
            fs.setTimes(roundDir(store, round * 10), 1_000_000L * (10 - round), -1);
        }

        store.cleanUp();

        assertEquals(List.of(40, 50), store.roundDirectories());
        assertEquals(0, fs.listStatus(store.dir(), p -> p.getName().startsWith("_tmp")).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void bestCheckpointByMetricSurvivesClean(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 2, MetricGoal.MINIMIZE);
        store.write(checkpoint(1, 3.0));
        store.write(checkpoint(2, 1.5));
        store.write(checkpoint(3, 2.0));
        store.write(checkpoint(4, 2.5));
        store.write(checkpoint(5, null));

        assertEquals(List.of(2, 4, 5), store.roundDirectories());
        assertEquals(2, store.bestRound().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void rewritingARoundReplacesTheEarlierAttempt(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 3, MetricGoal.MAXIMIZE);
        store.write(checkpoint(7, 0.1));
        store.write(checkpoint(7, 0.9));
        assertEquals(0.9, store.latestComplete().orElseThrow().state().validationMetric());
        assertEquals(List.of(7), store.roundDirectories());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void emptyOrMissingDirectoryHasNoCheckpoint(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 3, MetricGoal.MAXIMIZE);
        fsOf(store).delete(store.dir(), true);
        assertFalse(store.latestComplete().isPresent());
        store.cleanUp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void wrongParameterShapeIsSkippedNamingTheTensor(String fsName) throws IOException {
        CheckpointStore store = store(fsName, 3, MetricGoal.MAXIMIZE);
        store.write(checkpoint(1, null));
        assertFalse(store.latestComplete(Map.of("params", new long[]{256})).isPresent());
        IOException e = assertThrows(IOException.class, () -> store.read(1, Map.of("params", new long[]{256})));
        assertTrue(e.getMessage().endsWith("tensor params has shape [257], expected [256]"), e.getMessage());
        assertArrayEquals(new long[]{257}, store.read(1, null).params().get(0).shape());
    }
}
