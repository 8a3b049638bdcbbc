package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.io.ModelFileException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault 9: a model directory carrying a Java-serialized object (whose deserialization would leave a marker
 * file) or a configuration naming a class. Loading rejects it, with checksums that match the planted
 * content, and nothing is ever deserialized.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(7)
class ModelDirectoryCanaryTest {

    @TempDir
    Path tmp;

    /** Writes {@code marker} when deserialized: proof that something read a Java-serialized object. */
    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String marker;

        Canary(String marker) {
            this.marker = marker;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(marker), "deserialized", StandardCharsets.UTF_8);
        }
    }

    enum Plant {
        SERIALIZED_AS_WEIGHTS("model.safetensors"),
        SERIALIZED_AS_VOCABULARY("vocab.txt: not valid UTF-8"),
        SERIALIZED_AS_CONFIG("config.json: not valid JSON"),
        SERIALIZED_AS_EXTRA_FILE(null),
        CONFIG_NAMING_A_CLASS("config.json: unknown key @class"),
        MODEL_CONFIG_NAMING_A_CLASS("config.json"),
        METRICS_NAMING_A_CLASS("metrics.json");

        final String expected;

        Plant(String expected) {
            this.expected = expected;
        }
    }

    @ParameterizedTest
    @EnumSource(Plant.class)
    void plantedObjectIsNeverDeserializedAndLoadingIsRejected(Plant plant) throws Exception {
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        Path dir = tmp.resolve("model");
        Path marker = tmp.resolve("canary-was-deserialized");
        TestBed.writeTinyModel(fs, dir);
        byte[] canary = serialized(new Canary(marker.toString()));
        String canaryClass = java.util.regex.Matcher.quoteReplacement(Canary.class.getName());

        switch (plant) {
            case SERIALIZED_AS_WEIGHTS -> Files.write(dir.resolve(ModelDirectory.WEIGHTS), canary);
            case SERIALIZED_AS_VOCABULARY -> Files.write(dir.resolve(ModelDirectory.VOCAB), canary);
            case SERIALIZED_AS_CONFIG -> Files.write(dir.resolve(ModelDirectory.CONFIG), canary);
            case SERIALIZED_AS_EXTRA_FILE -> Files.write(dir.resolve("model.ser"), canary);
            case CONFIG_NAMING_A_CLASS -> edit(dir.resolve(ModelDirectory.CONFIG),
                    s -> s.replaceFirst("\\{", "{\"@class\": \"" + canaryClass + "\", "));
            case MODEL_CONFIG_NAMING_A_CLASS -> edit(dir.resolve(ModelDirectory.CONFIG),
                    s -> s.replaceFirst("\"model\"\\s*:\\s*\\{", "\"model\": {\"@class\": \"" + canaryClass + "\", "));
            case METRICS_NAMING_A_CLASS -> edit(dir.resolve(ModelDirectory.METRICS),
                    s -> s.replaceFirst("\\{", "{\"@class\": \"" + canaryClass + "\", "));
        }
        TestBed.rewriteChecksums(dir);

        if (plant.expected == null) {
            // an extra file is verified against its checksum but never interpreted
            TrainedModel loaded = TrainedModel.load(fs, hadoopPath(dir));
            assertTrue(loaded.params().length > 0);
        } else {
            ModelFileException e = assertThrows(ModelFileException.class, () -> TrainedModel.load(fs, hadoopPath(dir)));
            assertTrue(e.getMessage().contains(plant.expected), plant + ": " + e.getMessage());
        }
        assertFalse(Files.exists(marker), "the canary was deserialized");
    }

    private static void edit(Path file, java.util.function.UnaryOperator<String> change) throws IOException {
        String before = Files.readString(file);
        String after = change.apply(before);
        assertFalse(before.equals(after), "edit of " + file + " changed nothing");
        Files.writeString(file, after);
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }
}
