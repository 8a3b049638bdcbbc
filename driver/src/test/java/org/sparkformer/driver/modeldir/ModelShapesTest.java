package org.sparkformer.driver.modeldir;

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

    @ParameterizedTest(name = "{0} {1} {2} tied={3}")
    @CsvSource({"MASKED_LM, LEARNED, PRE, true", "MASKED_LM, SINUSOIDAL, POST, false",
            "SEQUENCE_CLASSIFICATION, LEARNED, PRE, true", "TOKEN_CLASSIFICATION, SINUSOIDAL, PRE, true",
            "SEQUENCE_CLASSIFICATION, LEARNED, POST, false"})
    void shapesFromTheConfigurationEqualTheBuiltModels(Task task, PositionalEncoding positional, NormPlacement norm,
                                                       boolean tied) {
        TransformerConfig c = new TransformerConfig(37, 16, 8, 3, 2, 12, 0.0, 0.0, Activation.GELU, positional, norm,
                task == Task.CAUSAL_LM ? AttentionMode.CAUSAL : AttentionMode.BIDIRECTIONAL, task,
                task.isLanguageModel() ? 0 : 5, Pooling.CLS, tied, 0.02, 1L);

        Map<String, long[]> built = TrainedModel.expectedShapes(c);
        Map<String, long[]> worked = ModelShapes.of(c);

        assertEquals(describe(built), describe(worked));
        assertEquals(built.values().stream().mapToLong(s -> java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum(),
                ModelShapes.parameterCount(c));
    }

    private static List<String> describe(Map<String, long[]> shapes) {
        List<String> out = new ArrayList<>();
        shapes.forEach((name, shape) -> out.add(name + java.util.Arrays.toString(shape)));
        return out;
    }
}
