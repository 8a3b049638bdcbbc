package org.sparkformer.driver.modeldir;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.checkpoint.CheckpointState;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDirectoryTest {

    private static FileSystem local() throws IOException {
        return FileSystem.getLocal(TestClusters.localConf());
    }

    private static ModelFiles sample(boolean withState, float bias) {
        Tensor w = new Tensor("encoder.0.w", new long[]{2, 2}, new float[]{1, 2, 3, 4});
        Tensor b = new Tensor("encoder.0.b", new long[]{2}, new float[]{bias, -bias});
        ModelFiles.TrainingState state = withState
                ? new ModelFiles.TrainingState(List.of(new Tensor("adam.m", new long[]{6}, new float[6])),
                new CheckpointState(40, 320, 1234, 3, new long[]{5, 6}, 320, 0.8, 0.82, 30))
                : null;
        return new ModelFiles("{\"dModel\": 64, \"layers\": 2}", List.of("[PAD]", "[UNK]", "the", "##s"),
                List.of("noun.act", "verb.motion"), List.of(w, b), state, Map.of("validation.accuracy", 0.82),
                new Provenance("0.1.0", "4.0.1", "1.0.0-M2.1", "17", "finetune", "model:\n  dModel: 64\n",
                        "listing-sha256:abc", "2026-01-01T00:00:00Z"));
    }

    private static void writeFile(FileSystem fs, Path file, String text) throws IOException {
        fs.delete(file, false);
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void roundTripKeepsEveryPart(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelFiles written = sample(true, 0.5f);
        ModelDirectory.write(local(), dir, written, false);

        ModelFiles read = ModelDirectory.read(local(), dir, Map.of("encoder.0.w", new long[]{2, 2}, "encoder.0.b", new long[]{2}));
        assertEquals(written.vocab(), read.vocab());
        assertEquals(written.labels(), read.labels());
        assertEquals(written.weights(), read.weights());
        assertEquals(written.trainingState(), read.trainingState());
        assertEquals(written.metrics(), read.metrics());
        assertEquals(written.provenance(), read.provenance());
        assertEquals("{\"dModel\":64,\"layers\":2}", read.configJson().replaceAll("\\s", ""));
        try (var listing = Files.list(tmp)) {
            assertEquals(List.of("model"), listing.map(p -> p.getFileName().toString()).toList(), "no staging left");
        }
    }

    @Test
    void trainingStateIsOptional(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelDirectory.write(local(), dir, sample(false, 1), false);
        assertNull(ModelDirectory.read(local(), dir, null).trainingState());
    }

    @Test
    void existingOutputIsRefusedUnlessOverwriteIsAsked(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelDirectory.write(local(), dir, sample(false, 1), false);
        IOException e = assertThrows(IOException.class, () -> ModelDirectory.write(local(), dir, sample(false, 2), false));
        assertEquals("model directory " + dir + " already exists; pass --overwrite to replace it", e.getMessage());
        assertEquals(1f, ModelDirectory.read(local(), dir, null).weights().get(1).data()[0]);

        ModelDirectory.write(local(), dir, sample(false, 2), true);
        assertEquals(2f, ModelDirectory.read(local(), dir, null).weights().get(1).data()[0]);
        try (var listing = Files.list(tmp)) {
            assertEquals(1, listing.count(), "the replaced directory is gone");
        }
    }

    @Test
    void checksumMismatchNamesTheFile(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelDirectory.write(local(), dir, sample(false, 1), false);
        writeFile(local(), new Path(dir, ModelDirectory.VOCAB), "[PAD]\n[UNK]\nthe\n##z\n");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelDirectory.read(local(), dir, null));
        assertTrue(e.getMessage().startsWith(dir + ": checksum mismatch for vocab.txt: sha256 "), e.getMessage());
    }

    @Test
    void missingChecksumsFileIsRefused(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelDirectory.write(local(), dir, sample(false, 1), false);
        local().delete(new Path(dir, ModelDirectory.CHECKSUMS), false);
        assertEquals(dir + ": checksums.json is missing (incomplete or not written by Sparkformer)",
                assertThrows(ModelFileException.class, () -> ModelDirectory.read(local(), dir, null)).getMessage());
    }

    @Test
    void weightsOfTheWrongShapeAreNamed(@TempDir java.nio.file.Path tmp) throws IOException {
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelDirectory.write(local(), dir, sample(false, 1), false);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelDirectory.read(local(), dir,
                Map.of("encoder.0.w", new long[]{4, 4}, "encoder.0.b", new long[]{2})));
        assertEquals(dir + "/model.safetensors does not match the expected tensors: tensor encoder.0.w has shape [2, 2],"
                + " expected [4, 4]", e.getMessage());
    }

    @Test
    void malformedFilesThatPassTheirChecksumsAreStillValidated(@TempDir java.nio.file.Path tmp) throws IOException {
        // a hand-made directory whose manifest matches its (malformed) labels.json
        Path dir = new Path(tmp.resolve("model").toUri());
        ModelDirectory.write(local(), dir, sample(false, 1), false);
        writeFile(local(), new Path(dir, ModelDirectory.LABELS), "{\"labels\": [\"a\", \"a\"], \"@class\": \"x.Evil\"}");
        rewriteManifest(tmp.resolve("model"));
        assertEquals(dir + "/labels.json: expected {\"labels\": [strings]}",
                assertThrows(ModelFileException.class, () -> ModelDirectory.read(local(), dir, null)).getMessage());

        writeFile(local(), new Path(dir, ModelDirectory.LABELS), "{\"labels\": [\"a\", \"a\"]}");
        rewriteManifest(tmp.resolve("model"));
        assertEquals(dir + "/labels.json: duplicate label \"a\"",
                assertThrows(ModelFileException.class, () -> ModelDirectory.read(local(), dir, null)).getMessage());
    }

    private static void rewriteManifest(java.nio.file.Path dir) throws IOException {
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (var walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals(ModelDirectory.CHECKSUMS) && !n.endsWith(".crc")).forEach(names::add);
        }
        Files.deleteIfExists(dir.resolve("." + ModelDirectory.CHECKSUMS + ".crc"));
        Files.writeString(dir.resolve(ModelDirectory.CHECKSUMS),
                org.sparkformer.kernels.io.ChecksumManifest.ofLocalFiles(dir, names).toJson());
    }

    @Test
    void dataFingerprintChangesWithTheData(@TempDir java.nio.file.Path tmp) throws IOException {
        Files.writeString(tmp.resolve("a.tsv"), "x\ty\n");
        Path in = new Path(tmp.toUri());
        String before = DataFingerprint.ofContents(local(), List.of(in));
        assertEquals(before, DataFingerprint.ofContents(local(), List.of(in)));
        Files.writeString(tmp.resolve("a.tsv"), "x\tz\n");
        assertNotEquals(before, DataFingerprint.ofContents(local(), List.of(in)));
        assertTrue(DataFingerprint.ofListing(local(), List.of(in)).startsWith("listing-sha256:"));
    }

    @Test
    void provenanceRecordsTheRuntime() {
        Provenance p = Provenance.now("pretrain", "training: {}\n", "listing-sha256:00");
        assertEquals("4.0.1", p.sparkVersion());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertFalse(p.nd4jVersion().isBlank());
    }
}
