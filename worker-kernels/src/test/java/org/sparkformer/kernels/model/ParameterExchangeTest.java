package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.testing.Batches;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Flat parameters as the unit of exchange: export/import and averaging. */
class ParameterExchangeTest {

    @Test
    void flatParametersOutAndInReproduceOutputsExactly() {
        TransformerConfig cfg = TransformerConfig.tiny(40);
        MiniBatch batch = Batches.random(cfg, 8, new int[] {8, 5}, 1L);
        TransformerModel trained = new TransformerModel(cfg.withSeed(3));
        trained.flatParameters().addi(trained.flatGradients().addi(0.01));   // move away from the init
        TransformerModel copy = new TransformerModel(cfg.withSeed(77));
        float[] flat = trained.parametersAsFloats();
        copy.loadParameters(flat);
        assertArrayEquals(flat, copy.parametersAsFloats());
        assertEquals(trained.logits(batch), copy.logits(batch));
        assertEquals(trained.loss(batch), copy.loss(batch));
    }

    @Test
    void logitsIntoACallerBufferEqualTheCopy() {
        TransformerConfig cfg = TransformerConfig.tiny(40);
        MiniBatch batch = Batches.random(cfg, 8, new int[] {8, 5}, 1L);
        TransformerModel model = new TransformerModel(cfg.withSeed(3));
        INDArray copy = model.logits(batch);
        INDArray out = copy.ulike();
        assertEquals(copy, model.logits(batch, out));
        assertEquals(copy, out);
    }

    @Test
    void averagingFlatBuffersEqualsAveragingNamedArrays() {
        TransformerConfig cfg = TransformerConfig.tiny(40);
        MiniBatch batch = Batches.random(cfg, 8, new int[] {8, 6}, 2L);
        TransformerModel a = new TransformerModel(cfg.withSeed(1));
        TransformerModel b = new TransformerModel(cfg.withSeed(2));
        TransformerModel byFlat = new TransformerModel(cfg);
        byFlat.flatParameters().assign(a.flatParameters().add(b.flatParameters()).muli(0.5));
        TransformerModel byName = new TransformerModel(cfg.withSeed(3));
        Map<String, INDArray> namedA = a.namedParameters();
        Map<String, INDArray> namedB = b.namedParameters();
        byName.namedParameters().forEach((name, value) -> value.assign(namedA.get(name).add(namedB.get(name)).muli(0.5)));
        assertArrayEquals(byFlat.parametersAsFloats(), byName.parametersAsFloats());
        assertEquals(byFlat.logits(batch), byName.logits(batch));
        assertNotEquals(a.logits(batch), byFlat.logits(batch));
    }
}
