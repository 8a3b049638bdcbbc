package org.sparkformer.driver.modeldir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shapes worked out from a configuration are those of the model the worker kernels build from it. */
class ModelShapesTest {

    @ParameterizedTest(name = "{0} {1} {2} tied={3} embedding norm={4}")
    @CsvSource({"MASKED_LM, LEARNED, PRE, true, false", "MASKED_LM, SINUSOIDAL, POST, false, true",
            "SEQUENCE_CLASSIFICATION, LEARNED, PRE, true, true", "TOKEN_CLASSIFICATION, SINUSOIDAL, PRE, true, false",
            "SEQUENCE_CLASSIFICATION, LEARNED, POST, false, false"})
    void shapesFromTheConfigurationEqualTheBuiltModels(Task task, PositionalEncoding positional, NormPlacement norm,
                                                       boolean tied, boolean embeddingNorm) {
        TransformerConfig c = TransformerConfig.tiny(37).toBuilder().maxLength(16).dModel(8).layers(3).heads(2).dFf(12)
                .activation(Activation.GELU).positional(positional).norm(norm)
                .attention(task == Task.CAUSAL_LM ? AttentionMode.CAUSAL : AttentionMode.BIDIRECTIONAL).task(task)
                .numLabels(task.isLanguageModel() ? 0 : 5).pooling(Pooling.CLS).tieEmbeddings(tied)
                .embeddingNorm(embeddingNorm).build();

        Map<String, long[]> built = TrainedModel.expectedShapes(c);
        Map<String, long[]> worked = ModelShapes.of(c);

        assertEquals(describe(built), describe(worked));
        assertEquals(built.values().stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum(),
                ModelShapes.parameterCount(c));
    }

    @Test
    void shapesOfAnElectraEncoderIncludeTheDetectionHead() {
        TransformerConfig c = TransformerConfig.tiny(37).toBuilder().dModel(8).layers(2).heads(2).dFf(12)
                .task(Task.MASKED_LM).discriminatorWeight(50).build();
        Map<String, long[]> built = TrainedModel.expectedShapes(c);
        assertEquals(describe(built), describe(ModelShapes.of(c)));
        assertEquals(List.of(2L, 8L), java.util.Arrays.stream(ModelShapes.of(c).get("head.rtd.weight")).boxed().toList());
        assertEquals(built.values().stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (x, y) -> x * y)).sum(),
                ModelShapes.parameterCount(c));
    }

    @Test
    void shapesOfBlocksWithPrunedHeadsAndNeuronsAndALocalConvolutionEqualTheBuiltModels() {
        TransformerConfig c = TransformerConfig.tiny(37).toBuilder().dModel(8).layers(3).heads(4).dFf(12)
                .task(Task.SEQUENCE_CLASSIFICATION).numLabels(3).convolution(3).build()
                .withLayerWidths(List.of(1, 4, 2), List.of(12, 3, 7));

        Map<String, long[]> built = TrainedModel.expectedShapes(c);

        assertEquals(describe(built), describe(ModelShapes.of(c)));
        assertEquals(built.values().stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum(),
                ModelShapes.parameterCount(c));
    }

    private static List<String> describe(Map<String, long[]> shapes) {
        List<String> out = new ArrayList<>();
        shapes.forEach((name, shape) -> out.add(name + java.util.Arrays.toString(shape)));
        return out;
    }
}
