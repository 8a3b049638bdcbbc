package org.sparkformer.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.sparkformer.dl4j.conf.KernelLayerConf;
import org.sparkformer.dl4j.conf.TransformerEmbeddings;
import org.sparkformer.dl4j.conf.TransformerEncoderBlock;
import org.sparkformer.dl4j.conf.TransformerFinalNorm;
import org.sparkformer.dl4j.conf.TransformerHead;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TransformerModel} as a DL4J {@link ComputationGraph} and back, in memory:
 * {@code tokens -> embeddings -> block0 .. block<L-1> -> final_ln (pre-LN only) -> head}. The graph's flat parameter
 * array is the model's flat parameter buffer, element for element, and its layers run the model's own kernels, so
 * the graph computes what the model computes. The model directory stays the one file format: read one with
 * {@link #toComputationGraph(Path, IUpdater)}, and write a trained graph back through {@link #toModel} and the
 * project's model directory writer.
 *
 * <p>Inputs, per {@link #toMultiDataSet(MiniBatch, DataType)}: token ids {@code [rows, T]} with the padding mask
 * {@code [rows, T]} as the feature mask; labels as {@link TransformerHead} describes them.
 */
public final class EncoderGraph {

    /** The name of the graph's input, the token ids. */
    public static final String INPUT = "tokens";
    public static final String EMBEDDINGS = "embeddings";
    public static final String FINAL_NORM = "final_ln";
    public static final String HEAD = "head";

    private EncoderGraph() {
    }

    /** The name of encoder block {@code index}. */
    public static String block(int index) {
        return "block" + index;
    }

    /**
     * Adds the encoder of {@code cfg} (embeddings, blocks and, for pre-LN, the final LayerNorm) to {@code graph}, fed
     * by the token ids of vertex {@code input}; returns the name of its last vertex, whose output is the final hidden
     * states {@code [rows, T, d]} (NWC), for the caller's own layers or a {@link TransformerHead}.
     */
    public static String addEncoder(ComputationGraphConfiguration.GraphBuilder graph, TransformerConfig cfg, String input) {
        graph.addLayer(EMBEDDINGS, new TransformerEmbeddings(cfg, EMBEDDINGS), input);
        String last = EMBEDDINGS;
        for (int i = 0; i < cfg.layers(); i++) {
            graph.addLayer(block(i), new TransformerEncoderBlock(cfg, i, block(i)), last);
            last = block(i);
        }
        if (cfg.norm() == NormPlacement.PRE) {
            graph.addLayer(FINAL_NORM, new TransformerFinalNorm(cfg, FINAL_NORM), last);
            last = FINAL_NORM;
        }
        return last;
    }

    /** The whole model of {@code cfg}, its head as the output layer, in {@code dataType} with {@code updater}. */
    public static ComputationGraphConfiguration configuration(TransformerConfig cfg, DataType dataType, IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .seed(cfg.seed())
                .updater(updater)
                .graphBuilder()
                .addInputs(INPUT);
        String encoder = addEncoder(graph, cfg, INPUT);
        graph.addLayer(HEAD, new TransformerHead(cfg, HEAD), encoder);
        return graph.setOutputs(HEAD).build();
    }

    /** A graph holding a copy of {@code model}'s parameters, in the model's data type, trained with {@code updater}. */
    public static ComputationGraph toComputationGraph(TransformerModel model, IUpdater updater) {
        ComputationGraph graph = new ComputationGraph(configuration(model.config(), model.dataType(), updater));
        graph.init(model.flatParameters().dup(), false);
        return graph;
    }

    /**
     * The model of a model directory on the local file system (checksums verified, configuration and tensor shapes
     * checked, compressed weights decoded) as a float32 graph trained with {@code updater}.
     */
    public static ComputationGraph toComputationGraph(Path modelDirectory, IUpdater updater) throws IOException {
        return toComputationGraph(LocalModelDirectory.read(modelDirectory), updater);
    }

    /** The model configuration of a graph built from Sparkformer layers; all of them must share it. */
    public static TransformerConfig configOf(ComputationGraph graph) {
        TransformerConfig found = null;
        for (KernelLayerConf layer : kernelLayers(graph).values()) {
            TransformerConfig cfg = layer.transformerConfig();
            if (found != null && !found.equals(cfg)) {
                throw new IllegalArgumentException("layer " + layer.getLayerName() + " belongs to another model ("
                        + cfg + ") than the graph's other Sparkformer layers (" + found + ")");
            }
            found = cfg;
        }
        if (found == null) {
            throw new IllegalArgumentException("the graph has no Sparkformer layers");
        }
        return found;
    }

    private static Map<String, KernelLayerConf> kernelLayers(ComputationGraph graph) {
        Map<String, KernelLayerConf> layers = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : graph.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex v && v.getLayerConf().getLayer() instanceof KernelLayerConf k) {
                layers.put(e.getKey(), k);
            }
        }
        return layers;
    }

    /**
     * A model of the graph's configuration holding the graph's parameters, found by name in the graph's Sparkformer
     * layers (so the graph may hold layers of its own beside them), in the graph's data type.
     */
    public static TransformerModel toModel(ComputationGraph graph) {
        TransformerConfig cfg = configOf(graph);
        Map<String, INDArray> byName = new LinkedHashMap<>();
        for (Map.Entry<String, KernelLayerConf> layer : kernelLayers(graph).entrySet()) {
            graph.getLayer(layer.getKey()).paramTable().forEach((key, value) -> {
                String name = layer.getValue().modelNameOf(key);
                if (byName.put(name, value) != null) {
                    throw new IllegalArgumentException("parameter " + name + " is in two layers of the graph (the second "
                            + layer.getKey() + ")");
                }
            });
        }
        TransformerModel model = new TransformerModel(cfg, graph.params().dataType());
        for (Parameter p : model.parameters()) {
            INDArray value = byName.remove(p.name());
            if (value == null) {
                throw new IllegalArgumentException("the graph has no parameter " + p.name() + " of the model (task "
                        + cfg.task() + ")");
            }
            if (!Arrays.equals(value.shape(), p.shape())) {
                throw new IllegalArgumentException("parameter " + p.name() + " is " + Arrays.toString(value.shape())
                        + " in the graph, " + Arrays.toString(p.shape()) + " in the model");
            }
            p.value().assign(value);
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException("the graph's parameters " + byName.keySet() + " have no place in the model");
        }
        return model;
    }

    /**
     * {@code batch} as DL4J data in {@code dataType}: features the token ids {@code [rows, T]}, feature mask the
     * attention mask {@code [rows, T]}, labels {@code [rows, 1]} (sequence classification) or {@code [rows, T]}, with
     * {@link MiniBatch#IGNORE} kept.
     */
    public static MultiDataSet toMultiDataSet(MiniBatch batch, DataType dataType, Task task) {
        INDArray ids = matrix(batch.tokenIds(), batch.rows(), batch.seqLen(), dataType);
        INDArray mask = matrix(batch.attentionMask(), batch.rows(), batch.seqLen(), dataType);
        boolean perRow = task == Task.SEQUENCE_CLASSIFICATION;
        int[] labels = batch.labels();
        int expected = perRow ? batch.rows() : batch.rows() * batch.seqLen();
        if (labels.length != expected) {
            throw new IllegalArgumentException("task " + task + " needs " + expected + " labels ("
                    + (perRow ? "one per row" : "one per token") + "), the batch has " + labels.length);
        }
        INDArray y = matrix(labels, batch.rows(), perRow ? 1 : batch.seqLen(), dataType);
        return new MultiDataSet(new INDArray[] {ids}, new INDArray[] {y}, new INDArray[] {mask}, null);
    }

    private static INDArray matrix(int[] values, int rows, int cols, DataType dataType) {
        return Nd4j.createFromArray(values).reshape('c', rows, cols).castTo(dataType);
    }
}
