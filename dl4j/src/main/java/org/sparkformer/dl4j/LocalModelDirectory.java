package org.sparkformer.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.dl4j.conf.KernelLayerConf;
import org.sparkformer.dl4j.conf.TransformerEmbeddings;
import org.sparkformer.dl4j.conf.TransformerEncoderBlock;
import org.sparkformer.dl4j.conf.TransformerFinalNorm;
import org.sparkformer.dl4j.conf.TransformerHead;
import org.sparkformer.kernels.compress.WeightStorage;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the model of a model directory on the local file system: {@code checksums.json} verified first, then
 * {@code config.json}'s model configuration (and the storage of compressed weights), then {@code model.safetensors},
 * whose header must name exactly the tensors and shapes the configuration implies, checked before tensor memory is
 * allocated. The vocabulary and labels are the caller's (the graph sees token ids and class indices).
 */
final class LocalModelDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = "config.json";
    private static final String WEIGHTS = "model.safetensors";

    private LocalModelDirectory() {
    }

    static TransformerModel read(Path dir) throws IOException {
        Path manifestFile = dir.resolve(ChecksumManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new ModelFileException(dir + ": no " + ChecksumManifest.FILE_NAME + " (not a model directory)");
        }
        ChecksumManifest manifest = ChecksumManifest.parse(Files.readAllBytes(manifestFile), manifestFile.toString());
        for (String required : List.of(CONFIG, WEIGHTS)) {
            if (!manifest.files().containsKey(required)) {
                throw new ModelFileException(manifestFile + ": does not list " + required);
            }
        }
        manifest.verifyLocal(dir);

        Path configFile = dir.resolve(CONFIG);
        JsonNode root = JSON.readTree(Files.readAllBytes(configFile));
        if (root == null || !root.isObject() || !root.has("model")) {
            throw new ModelFileException(configFile + ": expected a JSON object with a \"model\" key");
        }
        TransformerConfig cfg;
        try {
            cfg = TransformerConfig.fromJson(JSON.writeValueAsString(root.get("model")));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(configFile + ": " + e.getMessage());
        }
        WeightStorage storage = root.has("storage")
                ? WeightStorage.fromJson(root.get("storage"), configFile + " storage") : WeightStorage.plain();

        Map<String, long[]> shapes = declaredShapes(cfg);
        long elements = shapes.values().stream().mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
        Path weightsFile = dir.resolve(WEIGHTS);
        long size = Files.size(weightsFile);
        if (storage.isPlain() && size < 4 * elements) {
            throw new ModelFileException(weightsFile + ": " + size + " bytes cannot hold the " + elements
                    + " float32 parameters " + configFile + " describes");
        }
        List<Tensor> tensors;
        try (InputStream in = Files.newInputStream(weightsFile)) {
            tensors = SafeTensors.read(in, size, storage.isPlain() ? shapes : null, weightsFile.toString()).tensors();
        }
        Map<String, Tensor> byName = new LinkedHashMap<>();
        storage.decode(tensors, weightsFile.toString()).forEach(t -> byName.put(t.name(), t));

        TransformerModel model = new TransformerModel(cfg, DataType.FLOAT);
        for (Parameter p : model.parameters()) {
            Tensor t = byName.remove(p.name());
            if (t == null) {
                throw new ModelFileException(weightsFile + ": tensor " + p.name() + " is missing");
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new ModelFileException(weightsFile + ": tensor " + p.name() + " has shape "
                        + Arrays.toString(t.shape()) + ", the config implies " + Arrays.toString(p.shape()));
            }
            INDArray view = p.value();
            view.assign(Nd4j.createFromArray(t.data()).reshape(view.shape()));
        }
        if (!byName.isEmpty()) {
            throw new ModelFileException(weightsFile + ": unexpected tensors " + byName.keySet());
        }
        return model;
    }

    /** The tensors a model of {@code cfg} has, declared by its DL4J layers (nothing allocated), in order. */
    private static Map<String, long[]> declaredShapes(TransformerConfig cfg) {
        List<KernelLayerConf> layers = new ArrayList<>();
        layers.add(new TransformerEmbeddings(cfg, EncoderGraph.EMBEDDINGS));
        for (int i = 0; i < cfg.layers(); i++) {
            layers.add(new TransformerEncoderBlock(cfg, i, EncoderGraph.block(i)));
        }
        if (cfg.norm() == NormPlacement.PRE) {
            layers.add(new TransformerFinalNorm(cfg, EncoderGraph.FINAL_NORM));
        }
        layers.add(new TransformerHead(cfg, EncoderGraph.HEAD));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (KernelLayerConf layer : layers) {
            layer.declaredParameters(DataType.FLOAT).all().forEach(p -> shapes.put(p.name(), p.shape()));
        }
        return shapes;
    }
}
