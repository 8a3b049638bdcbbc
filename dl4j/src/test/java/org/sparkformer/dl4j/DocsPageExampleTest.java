package org.sparkformer.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples of docs/dl4j.md, line for line between the markers, so the documented code compiles and runs. */
class DocsPageExampleTest {

    private static final Path ROOT = Path.of(System.getProperty("sparkformer.repo.root", "..")).toAbsolutePath().normalize();

    /** The {@code index}-th java block of the page, lines stripped. */
    private static List<String> shown(int index) throws IOException {
        List<String> page = Files.readAllLines(ROOT.resolve("docs/dl4j.md"));
        List<Integer> fences = java.util.stream.IntStream.range(0, page.size())
                .filter(i -> page.get(i).equals("```java")).boxed().toList();
        assertTrue(fences.size() > index, "docs/dl4j.md has no java block " + index);
        int start = fences.get(index) + 1;
        int end = start;
        while (end < page.size() && !page.get(end).equals("```")) {
            end++;
        }
        return page.subList(start, end).stream().map(String::strip).toList();
    }

    private static List<String> tested(String marker) throws IOException {
        List<String> source = Files.readAllLines(ROOT.resolve("dl4j/src/test/java/org/sparkformer/dl4j/DocsPageExampleTest.java"));
        return source.subList(source.indexOf("        // " + marker + " begin") + 1, source.indexOf("        // " + marker + " end"))
                .stream().map(String::strip).toList();
    }

    @Test
    void thePageShowsTheCodeBetweenTheMarkers() throws IOException {
        assertEquals(tested("docs/dl4j.md model"), shown(0), "the first java block of docs/dl4j.md differs from this test");
        assertEquals(tested("docs/dl4j.md encoder"), shown(1), "the second java block of docs/dl4j.md differs from this test");
    }

    @Test
    void theModelExampleTrainsAndComesBack() {
        TransformerConfig cfg = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        MiniBatch batch = Fixtures.padded(cfg, 1L);

        // docs/dl4j.md model begin
        TransformerModel model = new TransformerModel(cfg);      // or: EncoderGraph.toComputationGraph(Path.of("out/lexname/model"), updater)
        ComputationGraph graph = EncoderGraph.toComputationGraph(model, new Adam(1e-3));
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.FLOAT, cfg.task());   // ids, padding mask, labels
        graph.fit(data);
        INDArray probabilities = graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays(), null)[0];
        TransformerModel trained = EncoderGraph.toModel(graph);  // the graph's parameters, as a model again
        // docs/dl4j.md model end

        assertTrue(trained.probabilities(batch).equalsWithEps(probabilities, 1e-6));
        assertTrue(model.flatParameters().sub(trained.flatParameters()).norm2Number().doubleValue() > 0, "fit changed nothing");
    }

    @Test
    void theEncoderFeedsTheCallersOwnDl4jLayers() {
        TransformerConfig cfg = Fixtures.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        int rows = 4;
        int seqLen = 6;
        INDArray tokenIds = Nd4j.rand(DataType.FLOAT, rows, seqLen).muli(cfg.vocabSize() - 1).addi(1).castTo(DataType.INT32)
                .castTo(DataType.FLOAT);
        INDArray paddingMask = Nd4j.ones(DataType.FLOAT, rows, seqLen);
        paddingMask.putScalar(new long[] {3, 5}, 0);
        INDArray oneHotTags = Nd4j.zeros(DataType.FLOAT, rows, seqLen, 3);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < seqLen; t++) {
                oneHotTags.putScalar(new long[] {r, t, (int) tokenIds.getDouble(r, t) % 3}, 1);
            }
        }

        // docs/dl4j.md encoder begin
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .updater(new Adam(1e-2)).graphBuilder().addInputs("tokens");
        String hidden = EncoderGraph.addEncoder(builder, cfg, "tokens");         // [rows, T, d], NWC
        builder.addLayer("tags", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nIn(cfg.dModel()).nOut(3).dataFormat(RNNFormat.NWC).build(), hidden);
        ComputationGraph tagger = new ComputationGraph(builder.setOutputs("tags").build());
        tagger.init();
        MultiDataSet tagged = new MultiDataSet(new INDArray[] {tokenIds}, new INDArray[] {oneHotTags},
                new INDArray[] {paddingMask}, new INDArray[] {paddingMask});
        // docs/dl4j.md encoder end

        double before = tagger.score(tagged);
        for (int step = 0; step < 30; step++) {
            tagger.fit(tagged);
        }
        double after = tagger.score(tagged);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
        assertArrayEquals(new long[] {rows, seqLen, 3}, tagger.output(false, new INDArray[] {tokenIds},
                new INDArray[] {paddingMask}, null)[0].shape());
    }
}
