package org.sparkformer.driver.compression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.compress.WeightFormat;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.Tensor;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compressed model directories: what is written, what loads back, and the errors a damaged one gives. */
class CompressedModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(
            IntStream.range(0, 60).mapToObj(i -> "w" + i).toList());

    private static TrainedModel classifier() {
        TransformerConfig config = TransformerConfig.tiny(VOCAB.size()).withTask(Task.SEQUENCE_CLASSIFICATION, 3);
        return new TrainedModel(config, new TokenizerSettings(true, true, 16), VOCAB, List.of("a", "b", "c"),
                new TransformerModel(config).parametersAsFloats());
    }

    private static Provenance provenance() {
        return Provenance.now("compress", "{}", "none");
    }

    private static FileSystem local() throws IOException {
        return FileSystem.getLocal(TestClusters.localConf());
    }

    @Test
    void storedModelsLoadBackToTheParametersTheyWereMeasuredWith(@TempDir java.nio.file.Path tmp) throws IOException {
        TrainedModel original = classifier();
        for (WeightFormat format : WeightFormat.values()) {
            CompressedModel compressed = CompressedModel.stored(original, format);
            Path dir = new Path(tmp.resolve(format.id()).toUri());
            compressed.save(local(), dir, Map.of("validation.accuracy", 0.5), provenance(), false);

            TrainedModel loaded = TrainedModel.load(local(), dir);

            assertArrayEquals(compressed.model().params(), loaded.params(), 0f, format.id());
            assertEquals(original.config(), loaded.config());
            assertEquals(compressed.weightFileBytes(), Files.size(tmp.resolve(format.id()).resolve(ModelDirectory.WEIGHTS)));
            JsonNode checksums = JSON.readTree(tmp.resolve(format.id()).resolve(ModelDirectory.CHECKSUMS).toFile());
            assertTrue(checksums.toString().contains(ModelDirectory.WEIGHTS), "model.safetensors is checksummed: " + checksums);
        }
    }

    @Test
    void fileSizeRatiosAreWhatTheTensorsImply() {
        TrainedModel original = classifier();
        long f32 = CompressedModel.stored(original, WeightFormat.F32).weightFileBytes();
        long f16 = CompressedModel.stored(original, WeightFormat.F16).weightFileBytes();
        long int8 = CompressedModel.stored(original, WeightFormat.INT8).weightFileBytes();

        long matrices = 0;
        long vectors = 0;
        long rows = 0;
        for (Tensor t : original.weights()) {
            if (t.shape().length == 2) {
                matrices += t.elementCount();
                rows += t.shape()[0];
            } else {
                vectors += t.elementCount();
            }
        }
        double expected = 4.0 * (matrices + vectors) / (matrices + 4.0 * rows + 4.0 * vectors);
        double ratio = f32 / (double) int8;
        assertEquals(expected, ratio, 0.15 * expected, "ratio from the tensors (headers aside)");
        assertTrue(ratio > 2.5, "int8 ratio " + ratio + " (a d32 model: scales and vectors weigh more than in larger ones)");
        assertTrue(f32 / (double) f16 > 1.8, "f16 ratio " + f32 / (double) f16);
    }

    @Test
    void aScaleOfTheWrongShapeIsNamedWhenLoading(@TempDir java.nio.file.Path tmp) throws IOException {
        CompressedModel compressed = CompressedModel.stored(classifier(), WeightFormat.INT8);
        ModelFiles files = compressed.files(Map.of(), provenance());
        List<Tensor> weights = new ArrayList<>(files.weights());
        int at = IntStream.range(0, weights.size()).filter(i -> weights.get(i).name().equals("head.classifier.weight.scale"))
                .findFirst().orElseThrow();
        weights.set(at, new Tensor("head.classifier.weight.scale", new long[]{2}, new float[]{1, 1}));
        Path dir = new Path(tmp.resolve("bad-scale").toUri());
        ModelDirectory.write(local(), dir, new ModelFiles(files.configJson(), files.vocab(), files.labels(), weights, null,
                files.metrics(), files.provenance()), false);

        String e = assertThrows(ModelFileException.class, () -> TrainedModel.load(local(), dir)).getMessage();
        assertEquals(dir + "/model.safetensors: tensor head.classifier.weight.scale has shape [2], expected [3] (one scale"
                + " per row of head.classifier.weight [3, 32])", e);
    }

    @Test
    void anUnknownFormatInTheConfigurationIsNamedWhenLoading(@TempDir java.nio.file.Path tmp) throws IOException {
        ModelFiles files = CompressedModel.stored(classifier(), WeightFormat.INT8).files(Map.of(), provenance());
        ObjectNode config = (ObjectNode) JSON.readTree(files.configJson());
        ((ObjectNode) config.get(TrainedModel.STORAGE_KEY).get("head.classifier.weight")).put("format", "int4");
        Path dir = new Path(tmp.resolve("bad-format").toUri());
        ModelDirectory.write(local(), dir, new ModelFiles(config.toString(), files.vocab(), files.labels(), files.weights(),
                null, files.metrics(), files.provenance()), false);

        String e = assertThrows(ModelFileException.class, () -> TrainedModel.load(local(), dir)).getMessage();
        assertEquals(dir + "/config.json storage of tensor head.classifier.weight: unknown weight format 'int4' (supported:"
                + " fp32, fp16, bf16, int8)", e);
    }
}
