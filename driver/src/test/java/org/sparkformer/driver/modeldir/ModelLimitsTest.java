package org.sparkformer.driver.modeldir;

import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.ModelFileException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bounds a model directory's configuration must keep before anything it describes is allocated. */
class ModelLimitsTest {

    private static TransformerConfig withBlockWidths(List<Integer> dFfPerLayer) {
        return TransformerConfig.tiny(37).toBuilder().dModel(8).layers(3).heads(2).dFf(12)
                .task(Task.SEQUENCE_CLASSIFICATION).numLabels(3).build().withLayerWidths(List.of(2, 2, 2), dFfPerLayer);
    }

    @Test
    void aBlockFeedForwardWidthAboveTheLimitIsRefusedWithOneLineNamingTheBlock() {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelLimits.check(
                withBlockWidths(List.of(12, ModelLimits.MAX_D_FF + 1, 7)), "m/config.json"));
        assertEquals("m/config.json: model.dFfPerLayer[1] 65537 exceeds the limit of 65536", e.getMessage());
    }

    @Test
    void blockFeedForwardWidthsAtTheLimitPass() throws Exception {
        TransformerConfig c = withBlockWidths(List.of(12, ModelLimits.MAX_D_FF, 7));
        assertEquals(ModelShapes.parameterCount(c), ModelLimits.check(c, "m/config.json"));
    }
}
