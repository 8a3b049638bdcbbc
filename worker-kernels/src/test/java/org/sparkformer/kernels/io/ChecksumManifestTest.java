package org.sparkformer.kernels.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumManifestTest {

    @Test
    void sha256MatchesTheKnownDigestOfAbc() throws IOException {
        ChecksumManifest.Entry e = Checksums.sha256(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", e.sha256());
        assertEquals(3, e.size());
    }

    @Test
    void manifestRoundTripsThroughJson() throws IOException {
        ChecksumManifest m = new ChecksumManifest(Map.of("model.safetensors", new ChecksumManifest.Entry("a".repeat(64), 10),
                "training_state/optimizer.safetensors", new ChecksumManifest.Entry("b".repeat(64), 0)));
        assertEquals(m, ChecksumManifest.parse(m.toBytes(), "checksums.json"));
    }

    @Test
    void localDirectoryVerifiesAndNamesTheModifiedFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
        ChecksumManifest m = ChecksumManifest.ofLocalFiles(dir, Set.of("config.json", "vocab.txt"));
        m.verifyLocal(dir);

        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNX]\n");
        String msg = assertThrows(ModelFileException.class, () -> m.verifyLocal(dir)).getMessage();
        assertTrue(msg.startsWith("checksum mismatch for vocab.txt: sha256 "), msg);

        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n");
        assertEquals("checksum mismatch for vocab.txt: size 6 bytes, manifest says 12 (truncated or modified)",
                assertThrows(ModelFileException.class, () -> m.verifyLocal(dir)).getMessage());

        Files.delete(dir.resolve("config.json"));
        assertEquals("file config.json listed in the checksum manifest is missing from " + dir,
                assertThrows(ModelFileException.class, () -> m.verifyLocal(dir)).getMessage());
    }

    @Test
    void manifestWithTraversalNameIsRefused() {
        String json = "{\"format\":\"sparkformer-checksums\",\"version\":1,\"files\":{\"../x\":{\"sha256\":\""
                + "a".repeat(64) + "\",\"size\":1}}}";
        assertEquals("checksums.json: unsafe file name ../x: contains an empty, '.' or '..' component",
                assertThrows(ModelFileException.class,
                        () -> ChecksumManifest.parse(json.getBytes(StandardCharsets.UTF_8), "checksums.json")).getMessage());
    }

    @Test
    void digestingStreamAgreesWithReadingTheBytes() throws IOException {
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        Checksums.DigestingOutputStream out = Checksums.digesting(sink);
        out.write("hello ".getBytes(StandardCharsets.UTF_8));
        out.write('w');
        out.write("orld".getBytes(StandardCharsets.UTF_8));
        assertEquals(Checksums.sha256(new ByteArrayInputStream(sink.toByteArray())), out.entry());
    }
}
