package org.sparkformer.dl4j;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model directory, the project's one model format, read into a graph in memory. */
class ModelDirectoryGraphTest {

    /** The files a model directory holds for {@code model}, as the driver writes them (checksums last). */
    private static void write(TransformerModel model, Path dir) throws IOException {
        TransformerConfig cfg = model.config();
        Files.writeString(dir.resolve("config.json"), "{\"model\": " + cfg.toJson()
                + ", \"tokenizer\": {\"lowercase\": true, \"stripAccents\": true, \"maxLength\": " + cfg.maxLength() + "}}");
        StringBuilder vocab = new StringBuilder("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        for (int i = 5; i < cfg.vocabSize(); i++) {
            vocab.append("w").append(i).append('\n');
        }
        Files.writeString(dir.resolve("vocab.txt"), vocab);
        Files.writeString(dir.resolve("labels.json"), "{\"labels\": [\"a\", \"b\", \"c\"]}");
        List<Tensor> tensors = new ArrayList<>();
        model.namedParameters().forEach((name, value) -> tensors.add(new Tensor(name, value.shape(),
                value.castTo(DataType.FLOAT).dup().reshape(value.length()).toFloatVector())));
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            SafeTensors.write(out, tensors, Map.of("format", "sparkformer"));
        }
        Set<String> files = Set.of("config.json", "vocab.txt", "labels.json", "model.safetensors");
        Files.write(dir.resolve(ChecksumManifest.FILE_NAME), ChecksumManifest.ofLocalFiles(dir, files).toBytes());
    }

    private static TransformerModel classifier() {
        TransformerConfig cfg = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withConvolution(3).withSeed(21L);
        return new TransformerModel(cfg);
    }

    @Test
    void aModelDirectoryBecomesAGraphHoldingItsConfigurationAndParameters(@TempDir Path dir) throws IOException {
        TransformerModel model = classifier();
        write(model, dir);
        ComputationGraph graph = EncoderGraph.toComputationGraph(dir, new NoOp());
        assertEquals(model.config(), EncoderGraph.configOf(graph));
        assertEquals(model.flatParameters(), graph.params().reshape(1, graph.numParams()));
    }

    @Test
    void aModifiedWeightsFileIsRefusedByItsChecksumBeforeAnythingIsBuilt(@TempDir Path dir) throws IOException {
        write(classifier(), dir);
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> EncoderGraph.toComputationGraph(dir, new NoOp()));
        assertTrue(e.getMessage().startsWith("checksum mismatch for model.safetensors: sha256 "), e.getMessage());
    }

    @Test
    void aDirectoryWithoutAChecksumManifestIsNotAModelDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}", StandardCharsets.UTF_8);
        ModelFileException e = assertThrows(ModelFileException.class, () -> EncoderGraph.toComputationGraph(dir, new NoOp()));
        assertEquals(dir + ": no checksums.json (not a model directory)", e.getMessage());
    }
}
