package org.sparkformer.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.random.SplitMix64;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderGraphTest {

    static Stream<Arguments> models() {
        TransformerConfig seqPre = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        TransformerConfig seqMean = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.POST, AttentionMode.BIDIRECTIONAL)
                .withPooling(Pooling.MEAN).withConvolution(3);
        TransformerConfig tagger = Fixtures.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withWordPooling(WordPooling.MEAN).withConvolution(3).withEmbeddingNorm(true);
        TransformerConfig lm = Fixtures.micro(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        TransformerConfig causal = Fixtures.micro(Task.CAUSAL_LM, NormPlacement.POST, AttentionMode.CAUSAL);
        return Stream.of(Arguments.of("sequence CLS pre-LN", seqPre), Arguments.of("sequence MEAN post-LN conv", seqMean),
                Arguments.of("tagger word-mean conv", tagger), Arguments.of("masked LM", lm),
                Arguments.of("causal LM post-LN", causal));
    }

    /** A model whose parameters are not the fresh ones, so equality says something about where each one went. */
    private static TransformerModel trained(TransformerConfig cfg, DataType type) {
        TransformerModel model = new TransformerModel(cfg, type);
        INDArray p = model.flatParameters();
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(0, i, p.getDouble(0, i) + 0.01 * Math.sin(i));
        }
        return model;
    }

    private static INDArray modelOutputs(TransformerModel model, MiniBatch batch) {
        INDArray probs = model.probabilities(batch);
        return model.config().task() == Task.SEQUENCE_CLASSIFICATION ? probs
                : probs.reshape('c', batch.rows(), batch.seqLen(), probs.columns());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void graphParametersAreTheModelsFlatParametersInOrder(String name, TransformerConfig cfg) {
        TransformerModel model = trained(cfg, DataType.FLOAT);
        ComputationGraph graph = EncoderGraph.toComputationGraph(model, new NoOp());
        assertEquals(model.numParameters(), graph.numParams());
        assertEquals(model.flatParameters(), graph.params().reshape(1, graph.numParams()));
        assertEquals(model.namedParameters().get("blocks.1.ffn.in.weight"),
                graph.getLayer(EncoderGraph.block(1)).getParam("ffn.in.weight"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aNewGraphStartsFromTheParametersANewModelDraws(String name, TransformerConfig cfg) {
        ComputationGraph graph = new ComputationGraph(EncoderGraph.configuration(cfg, DataType.FLOAT, new NoOp()));
        graph.init();
        assertEquals(new TransformerModel(cfg).flatParameters(), graph.params().reshape(1, graph.numParams()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void graphOutputsAreTheModelsProbabilitiesOverPaddedBatches(String name, TransformerConfig cfg) {
        TransformerModel model = trained(cfg, DataType.FLOAT);
        ComputationGraph graph = EncoderGraph.toComputationGraph(model, new NoOp());
        MiniBatch batch = Fixtures.padded(cfg, 3L);
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.FLOAT, cfg.task());
        INDArray[] labelMask = cfg.wordPooling() == WordPooling.MEAN && cfg.task() == Task.TOKEN_CLASSIFICATION
                ? new INDArray[] {wordStarts(batch)} : null;
        INDArray out = graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays(), labelMask)[0];
        INDArray expected = modelOutputs(model, batch);
        assertArrayEquals(expected.shape(), out.shape());
        assertTrue(expected.equalsWithEps(out, 1e-6), name + ": graph " + out + "\nmodel " + expected);
    }

    /** 1 where a word starts (a labelled position), the label mask that gives the word pooling its words without labels. */
    private static INDArray wordStarts(MiniBatch batch) {
        int[] starts = new int[batch.labels().length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = batch.labels()[i] == MiniBatch.IGNORE ? 0 : 1;
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(starts).reshape(batch.rows(), batch.seqLen()).castTo(DataType.FLOAT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void graphScoreIsTheModelsLossAndItsGradientTheModelsTimesTheRows(String name, TransformerConfig cfg) {
        TransformerModel model = trained(cfg, DataType.DOUBLE);
        ComputationGraph graph = EncoderGraph.toComputationGraph(model, new NoOp());
        MiniBatch batch = Fixtures.padded(cfg, 4L);
        double loss = model.lossAndGradients(batch, 0L);
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.DOUBLE, cfg.task());
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.setLayerMaskArrays(data.getFeaturesMaskArrays(), null);
        graph.computeGradientAndScore();
        assertEquals(loss, graph.score(), 1e-12, name);
        INDArray graphGradient = graph.gradient().gradient().reshape(1, graph.numParams()).div(batch.rows());
        assertTrue(model.flatGradients().equalsWithEps(graphGradient, 1e-12), name + ": gradients differ");
        assertTrue(model.flatGradients().norm2Number().doubleValue() > 0);
    }

    @Test
    void aZeroInTheLabelMaskLeavesThatLabelOutAsTheModelsIgnoreDoes() {
        TransformerConfig cfg = Fixtures.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        TransformerModel model = trained(cfg, DataType.DOUBLE);
        ComputationGraph graph = EncoderGraph.toComputationGraph(model, new NoOp());
        MiniBatch batch = Fixtures.padded(cfg, 6L);
        int[] kept = batch.labels().clone();
        int dropped = 0;
        double[] labelMask = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            labelMask[i] = 1;
            if (kept[i] != MiniBatch.IGNORE && dropped++ % 2 == 1) {
                kept[i] = MiniBatch.IGNORE;
                labelMask[i] = 0;
            }
        }
        double loss = model.lossAndGradients(new MiniBatch(batch.rows(), batch.seqLen(), batch.tokenIds(),
                batch.attentionMask(), kept), 0L);
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.DOUBLE, cfg.task());
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.setLayerMaskArrays(data.getFeaturesMaskArrays(), new INDArray[] {
                org.nd4j.linalg.factory.Nd4j.createFromArray(labelMask).reshape(batch.rows(), batch.seqLen())});
        graph.computeGradientAndScore();
        assertTrue(dropped > 2);
        assertEquals(loss, graph.score(), 1e-12);
        assertTrue(model.flatGradients().equalsWithEps(graph.gradient().gradient().reshape(1, graph.numParams())
                .div(batch.rows()), 1e-12));
    }

    @Test
    void aClonedGraphHoldsTheSameParametersAndComputesTheSame() {
        TransformerConfig cfg = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.POST, AttentionMode.BIDIRECTIONAL)
                .withPooling(Pooling.MEAN);
        ComputationGraph graph = EncoderGraph.toComputationGraph(trained(cfg, DataType.FLOAT), new NoOp());
        ComputationGraph copy = graph.clone();
        MultiDataSet data = EncoderGraph.toMultiDataSet(Fixtures.padded(cfg, 7L), DataType.FLOAT, cfg.task());
        assertEquals(graph.params(), copy.params());
        assertEquals(graph.output(false, data.getFeatures(), data.getFeaturesMaskArrays(), null)[0],
                copy.output(false, data.getFeatures(), data.getFeaturesMaskArrays(), null)[0]);
    }

    @Test
    void graphDropoutIsTheModelsDropoutForTheSeedOfTheIteration() {
        TransformerConfig cfg = Fixtures.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withDropout(0.2, 0.1);
        TransformerModel model = trained(cfg, DataType.DOUBLE);
        ComputationGraph graph = EncoderGraph.toComputationGraph(model, new NoOp());
        MiniBatch batch = Fixtures.padded(cfg, 5L);
        double loss = model.lossAndGradients(batch, SplitMix64.derive(cfg.seed(), 0, 0));
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.DOUBLE, cfg.task());
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.setLayerMaskArrays(data.getFeaturesMaskArrays(), null);
        graph.computeGradientAndScore();
        assertEquals(loss, graph.score(), 1e-12);
        assertTrue(model.flatGradients().equalsWithEps(graph.gradient().gradient().reshape(1, graph.numParams())
                .div(batch.rows()), 1e-12));
        assertTrue(Math.abs(loss - model.loss(batch)) > 1e-6, "dropout changed nothing");
    }

    @Test
    void fitLowersTheLossAndTheModelComesBackWithTheTrainedParameters() {
        TransformerConfig cfg = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withInitStd(0.05);
        ComputationGraph graph = EncoderGraph.toComputationGraph(new TransformerModel(cfg), new Adam(1e-2));
        MiniBatch batch = Fixtures.batch(cfg, 6, new int[] {6, 5, 4, 3, 6, 2}, 8L);
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.FLOAT, cfg.task());
        double before = graph.score(data);
        for (int step = 0; step < 30; step++) {
            graph.fit(data);
        }
        double after = graph.score(data);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
        TransformerModel back = EncoderGraph.toModel(graph);
        assertEquals(graph.params().reshape(1, graph.numParams()), back.flatParameters());
        assertEquals(after, back.loss(batch), 1e-5);
    }

    @Test
    void theGraphConfigurationSurvivesDl4jJson() {
        TransformerConfig cfg = Fixtures.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.POST, AttentionMode.BIDIRECTIONAL)
                .withConvolution(3);
        ComputationGraphConfiguration conf = EncoderGraph.configuration(cfg, DataType.FLOAT, new NoOp());
        ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.toJson()));
        graph.init();
        assertEquals(cfg, EncoderGraph.configOf(graph));
        assertEquals(new TransformerModel(cfg).flatParameters(), graph.params().reshape(1, graph.numParams()));
    }

    @Test
    void aLanguageModelWithTiedEmbeddingsIsRefusedWithTheReason() {
        TransformerConfig tied = Fixtures.micro(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withTieEmbeddings(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderGraph.configuration(tied, DataType.FLOAT, new NoOp()));
        assertTrue(e.getMessage().contains("set tieEmbeddings false"), e.getMessage());
    }

    @Test
    void dl4jsOwnDropoutIsRefusedBecauseTheModelConfigurationHasItsOwn() {
        TransformerConfig cfg = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder builder =
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().dropOut(0.9).graphBuilder().addInputs("ids");
        builder.setOutputs(EncoderGraph.addEncoder(builder, cfg, "ids"));
        ComputationGraph graph = new ComputationGraph(builder.build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, graph::init);
        assertTrue(e.getMessage().startsWith("layer embeddings: DL4J's dropOut "), e.getMessage());
        assertTrue(e.getMessage().endsWith("its dropout is the model configuration's (dropout, attentionDropout)"));
    }

    @Test
    void aTokenIdOutsideTheVocabularyFailsNamingRowAndPosition() {
        TransformerConfig cfg = Fixtures.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL);
        ComputationGraph graph = EncoderGraph.toComputationGraph(new TransformerModel(cfg), new NoOp());
        INDArray ids = org.nd4j.linalg.factory.Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 13, 5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.output(ids));
        assertEquals("token id 13 at row 1, position 1 is outside the vocabulary [0, 13)", e.getMessage());
    }
}
