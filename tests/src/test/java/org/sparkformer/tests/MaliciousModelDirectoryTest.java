package org.sparkformer.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.kernels.io.DType;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model directories made to hurt the process that loads them, each with checksums that match (an attacker who can
 * write the directory can write its checksums): huge dimensions in config.json, weights that disagree with it, links
 * out of the directory, labels that would break what prints them. {@code predict} must refuse each with one line
 * naming the file and the problem, exit code 1, no stack trace and no large allocation. The table of messages is in
 * docs/operations.md.
 */
class MaliciousModelDirectoryTest {

    @RegisterExtension
    static final FaultLedger LEDGER = FaultLedger.forModelDirectories();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    enum Attack {
        LAYERS_20000("model.layers 20000 exceeds the limit of 256"),
        D_MODEL_A_MILLION("model.dModel 1048576 exceeds the limit of 16384"),
        VOCABULARY_FIVE_MILLION("model.vocabSize 5000000 exceeds the limit of 2097152"),
        TWO_MILLION_LABELS("model.numLabels 2000000 exceeds the limit of 1048576"),
        ONE_BLOCK_A_MILLION_FEED_FORWARD_UNITS_WIDE("model.dFfPerLayer[0] 1000000 exceeds the limit of 65536"),
        WEIGHTS_OVER_THE_LIMIT("bytes of F32 weights), more than the limit of 4294967296 bytes"),
        TOKENIZER_LENGTH_TEN_MILLION("tokenizer.maxLength 10000000 exceeds the limit of 65536"),
        MORE_LAYERS_THAN_THE_WEIGHTS_HOLD("bytes, fewer than the"),
        FEWER_FEED_FORWARD_UNITS_THAN_THE_WEIGHTS("does not match the expected tensors: tensor blocks.0.ffn.in.bias has shape"),
        F64_TENSOR("tensor final_ln.gamma is F64 but the configuration's storage does not say how it is encoded"),
        TRAILING_BYTES_AFTER_THE_WEIGHTS("bytes after the last tensor's data are not described by the header"),
        HEADER_LENGTH_OF_AN_EXABYTE("declared header length"),
        NAN_IN_THE_WEIGHTS("holds NaN"),
        VOCABULARY_LINKED_TO_ETC_PASSWD("vocab.txt is a symbolic link"),
        WEIGHTS_LINKED_ELSEWHERE("model.safetensors is a symbolic link"),
        CHECKSUMS_LINKED_ELSEWHERE("checksums.json is a symbolic link"),
        LABEL_OF_100_KB("labels.json: label 0 is 100000 characters long, more than 200"),
        LABEL_WITH_A_NEWLINE_AND_MARKUP("labels.json: label 0 holds the control character U+000A"),
        LABEL_WITH_A_BIDI_OVERRIDE("labels.json: label 0 holds the control character U+202E"),
        CONFIG_NAMING_A_CLASS("unknown key 'className'"),
        VOCABULARY_ONE_TOKEN_LONGER("vocabulary has 41 tokens but the model expects 40"),
        CHECKSUMS_THAT_DO_NOT_MATCH("checksum mismatch for model.safetensors");

        final String message;

        Attack(String message) {
            this.message = message;
        }
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    void predictRefusesTheModelDirectoryWithOneLine(Attack attack) throws Exception {
        TestBed.spark();
        Path model = tmp.resolve("model");
        TestBed.writeTinyModel(FileSystem.getLocal(TestBed.localConf()), model);
        plant(attack, model);
        if (attack != Attack.CHECKSUMS_THAT_DO_NOT_MATCH && attack != Attack.CHECKSUMS_LINKED_ELSEWHERE) {
            TestBed.rewriteChecksums(model);
        }
        Path corpus = TestBed.corpusSlice(tmp.resolve("corpus.txt"), 5);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());

        TestBed.CliRun run;
        try (TestBed.CapturedLog log = TestBed.captureWarnings(org.sparkformer.driver.cli.Sparkformer.class.getPackageName())) {
            run = TestBed.cli("predict", "--config", config.toString(), "--model", model.toString(), "--input",
                    corpus.toString(), "--output", tmp.resolve("out").toString(), "--set", "data.format=text");
            boolean rejected = run.exitCode() == 1 && run.stderr().strip().lines().count() == 1
                    && run.stderr().contains(attack.message) && log.throwables().isEmpty();
            FaultLedger.maliciousModel(rejected);
            assertEquals(1, run.exitCode(), run.stderr());
            assertTrue(run.stderr().contains(attack.message), run.stderr());
            assertEquals(1, run.stderr().strip().lines().count(), "one line: " + run.stderr());
            assertTrue(log.throwables().isEmpty(), "no stack trace without --verbose: " + log.throwables());
        }
        assertFalse(Files.exists(tmp.resolve("out/predictions")));
    }

    private static void plant(Attack attack, Path model) throws IOException {
        switch (attack) {
            case LAYERS_20000 -> editModelConfig(model, c -> c.put("layers", 20000));
            case D_MODEL_A_MILLION -> editModelConfig(model, c -> c.put("dModel", 1 << 20));
            case VOCABULARY_FIVE_MILLION -> editModelConfig(model, c -> c.put("vocabSize", 5_000_000));
            case TWO_MILLION_LABELS -> editModelConfig(model, c -> c.put("task", "SEQUENCE_CLASSIFICATION").put("numLabels", 2_000_000));
            case ONE_BLOCK_A_MILLION_FEED_FORWARD_UNITS_WIDE -> editModelConfig(model, c -> {
                var widths = c.putArray("dFfPerLayer");
                widths.add(1_000_000);
                for (int i = 1; i < c.get("layers").asInt(); i++) {
                    widths.add(c.get("dFf").asInt());
                }
            });
            case WEIGHTS_OVER_THE_LIMIT -> editModelConfig(model, c -> c.put("dModel", 8192).put("heads", 8).put("dFf", 32768)
                    .put("layers", 200));
            case TOKENIZER_LENGTH_TEN_MILLION -> editConfig(model, root -> ((ObjectNode) root.get("tokenizer")).put("maxLength", 10_000_000));
            case MORE_LAYERS_THAN_THE_WEIGHTS_HOLD -> editModelConfig(model, c -> c.put("layers", c.get("layers").asInt() + 1));
            case FEWER_FEED_FORWARD_UNITS_THAN_THE_WEIGHTS -> editModelConfig(model, c -> c.put("dFf", c.get("dFf").asInt() / 2));
            case F64_TENSOR -> rewriteWeights(model, t -> t.name().equals("final_ln.gamma") ? toF64(t) : t);
            case TRAILING_BYTES_AFTER_THE_WEIGHTS -> Files.write(model.resolve(ModelDirectory.WEIGHTS), new byte[16],
                    java.nio.file.StandardOpenOption.APPEND);
            case HEADER_LENGTH_OF_AN_EXABYTE -> overwrite(model.resolve(ModelDirectory.WEIGHTS), 0,
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0x10});
            case NAN_IN_THE_WEIGHTS -> {
                Path w = model.resolve(ModelDirectory.WEIGHTS);
                overwrite(w, Files.size(w) - 4, new byte[] {0, 0, (byte) 0xc0, 0x7f});
            }
            case VOCABULARY_LINKED_TO_ETC_PASSWD -> {
                Files.delete(model.resolve(ModelDirectory.VOCAB));
                Files.createSymbolicLink(model.resolve(ModelDirectory.VOCAB), Path.of("/etc/passwd"));
            }
            case WEIGHTS_LINKED_ELSEWHERE -> linkToACopy(model, ModelDirectory.WEIGHTS);
            case CHECKSUMS_LINKED_ELSEWHERE -> linkToACopy(model, ModelDirectory.CHECKSUMS);
            case LABEL_OF_100_KB -> Files.writeString(model.resolve(ModelDirectory.LABELS),
                    "{\"labels\": [\"" + "x".repeat(100_000) + "\"]}\n");
            case LABEL_WITH_A_NEWLINE_AND_MARKUP -> Files.writeString(model.resolve(ModelDirectory.LABELS),
                    "{\"labels\": [\"noun\\n<script>alert(1)</script>\"]}\n");
            case LABEL_WITH_A_BIDI_OVERRIDE -> Files.writeString(model.resolve(ModelDirectory.LABELS),
                    "{\"labels\": [\"\\u202Efdp.exe\"]}\n");
            case CONFIG_NAMING_A_CLASS -> editModelConfig(model, c -> c.put("className", "java.lang.Runtime"));
            case VOCABULARY_ONE_TOKEN_LONGER -> Files.writeString(model.resolve(ModelDirectory.VOCAB), "zzzextra\n",
                    java.nio.file.StandardOpenOption.APPEND);
            case CHECKSUMS_THAT_DO_NOT_MATCH -> {
                Path w = model.resolve(ModelDirectory.WEIGHTS);
                overwrite(w, Files.size(w) - 8, new byte[] {1, 2, 3, 4});
                // past the local file system's own .crc: the directory's checksums are what must catch it
                Files.deleteIfExists(model.resolve("." + ModelDirectory.WEIGHTS + ".crc"));
            }
        }
    }

    private static void editModelConfig(Path model, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        editConfig(model, root -> edit.accept((ObjectNode) root.get("model")));
    }

    private static void editConfig(Path model, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = model.resolve(ModelDirectory.CONFIG);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        Files.writeString(file, JSON.writeValueAsString(root));
    }

    private static void rewriteWeights(Path model, java.util.function.UnaryOperator<Tensor> change) throws IOException {
        Path file = model.resolve(ModelDirectory.WEIGHTS);
        List<Tensor> tensors;
        try (InputStream in = Files.newInputStream(file)) {
            tensors = SafeTensors.read(in, Files.size(file), null).tensors();
        }
        List<Tensor> changed = new ArrayList<>();
        tensors.forEach(t -> changed.add(change.apply(t)));
        try (OutputStream out = Files.newOutputStream(file)) {
            SafeTensors.write(out, changed, Map.of());
        }
    }

    private static Tensor toF64(Tensor t) {
        double[] values = new double[t.data().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.data()[i];
        }
        return new Tensor(t.name(), DType.F64, t.shape(), null, values);
    }

    private static void linkToACopy(Path model, String name) throws IOException {
        Path copy = model.resolveSibling("elsewhere-" + name);
        Files.move(model.resolve(name), copy);
        Files.createSymbolicLink(model.resolve(name), copy);
    }

    private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(bytes);
        }
    }
}
