package org.sparkformer.kernels.config;

import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.optim.OptimizerKind;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerConfigTest {

    @Test
    void validationMessagesStateTheOffendingValues() {
        TransformerConfig base = TransformerConfig.tiny(100);
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> new TransformerConfig(100, 64, 100, 2, 3,
                64, 0.1, 0.1, Activation.GELU, PositionalEncoding.SINUSOIDAL, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL,
                Task.MASKED_LM, 0, Pooling.CLS, true, 0.02, 1, false, WordPooling.FIRST));
        assertEquals("dModel 100 is not divisible by heads 3", heads.getMessage());
        assertEquals("dropout 1.5 must be in [0, 1)",
                assertThrows(IllegalArgumentException.class, () -> base.withDropout(1.5, 0.1)).getMessage());
        assertEquals("numLabels 1 must be at least 2 for task SEQUENCE_CLASSIFICATION",
                assertThrows(IllegalArgumentException.class, () -> base.withTask(Task.SEQUENCE_CLASSIFICATION, 1)).getMessage());
        assertEquals("vocabSize 1 must be at least 2",
                assertThrows(IllegalArgumentException.class, () -> base.withVocabSize(1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base.withArchitecture(Activation.GELU,
                PositionalEncoding.SINUSOIDAL, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL).withTask(Task.MASKED_LM, 0)
                .withMaxLength(0)).getMessage().contains("maxLength 0"));
        assertEquals("initStd 0.0 must be positive",
                assertThrows(IllegalArgumentException.class, () -> base.withInitStd(0.0)).getMessage());
    }

    @Test
    void perLayerWidthsAreCheckedAndLeftOutOfJsonWhenUniform() {
        TransformerConfig base = TransformerConfig.small(100);
        TransformerConfig pruned = base.withLayerWidths(List.of(3, 1), List.of(300, 512));
        assertEquals(3, pruned.headsIn(0));
        assertEquals(512, pruned.dFfIn(1));
        assertEquals(4, base.headsIn(1));
        assertEquals(pruned, TransformerConfig.fromJson(pruned.toJson()));
        assertEquals(base, TransformerConfig.fromJson(base.toJson()));
        assertTrue(!base.toJson().contains("PerLayer"), base.toJson());
        assertEquals("headsPerLayer [4, 5]: layer 1 has 5, expected 1 to 4", assertThrows(IllegalArgumentException.class,
                () -> base.withLayerWidths(List.of(4, 5), List.of())).getMessage());
        assertEquals("dFfPerLayer [0, 5]: layer 0 has 0, expected at least 1", assertThrows(IllegalArgumentException.class,
                () -> base.withLayerWidths(List.of(), List.of(0, 5))).getMessage());
        assertEquals("headsPerLayer [4] has 1 entries for 2 layers", assertThrows(IllegalArgumentException.class,
                () -> base.withLayerWidths(List.of(4), List.of())).getMessage());
    }

    @Test
    void presetsStartWiderTheNarrowerTheyAre() {
        assertEquals(Math.sqrt(2.0 / (5 * 32)), TransformerConfig.tiny(10).initStd(), 1e-15);
        assertEquals(Math.sqrt(2.0 / (5 * 256)), TransformerConfig.base(10).initStd(), 1e-15);
        assertTrue(TransformerConfig.small(10).initStd() > TransformerConfig.base(10).initStd());
    }

    @Test
    void causalLmTaskSwitchesAttentionToCausal() {
        TransformerConfig clm = TransformerConfig.small(50).withTask(Task.CAUSAL_LM, 0);
        assertEquals(AttentionMode.CAUSAL, clm.attention());
        assertEquals(50, clm.outputSize());
    }

    @Test
    void presetsHaveTheDocumentedShapes() {
        TransformerConfig base = TransformerConfig.base(8000);
        assertEquals(256, base.dModel());
        assertEquals(4, base.layers());
        assertEquals(1024, base.dFf());
        assertEquals(128, base.maxLength());
        assertEquals(32, TransformerConfig.tiny(10).dModel());
        assertEquals(4, TransformerConfig.small(10).heads());
        assertEquals(42L, base.seed());
        assertEquals(0.1, base.dropout());
    }

    @Test
    void jsonRoundTripPreservesEveryField() {
        TransformerConfig cfg = TransformerConfig.small(321).withTask(Task.TOKEN_CLASSIFICATION, 7).withSeed(99)
                .withArchitecture(Activation.RELU, PositionalEncoding.LEARNED, NormPlacement.POST, AttentionMode.CAUSAL)
                .withPooling(Pooling.MEAN).withTieEmbeddings(false).withDropout(0.05, 0.2)
                .withEmbeddingNorm(true).withWordPooling(WordPooling.MEAN);
        assertEquals(cfg, TransformerConfig.fromJson(cfg.toJson()));
        assertTrue(cfg.toJson().contains("\"dModel\" : 128"), cfg.toJson());
    }

    @Test
    void jsonWrittenBeforeTheEmbeddingNormAndWordPoolingKeysReadsAsTheModelItDescribed() {
        TransformerConfig cfg = TransformerConfig.fromJson("{\"vocabSize\": 500, \"task\": \"TOKEN_CLASSIFICATION\", \"numLabels\": 3}");
        assertEquals(false, cfg.embeddingNorm());
        assertEquals(WordPooling.FIRST, cfg.wordPooling());
    }

    @Test
    void missingKeysTakeDefaultsAndUnknownKeysAreRejectedByName() {
        TransformerConfig cfg = TransformerConfig.fromJson("{\"vocabSize\": 500, \"layers\": 3}");
        assertEquals(500, cfg.vocabSize());
        assertEquals(3, cfg.layers());
        assertEquals(TransformerConfig.defaults().dModel(), cfg.dModel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromJson("{\"vocabSize\": 500, \"dmodel\": 64}"));
        assertTrue(e.getMessage().startsWith("unknown key 'dmodel'"), e.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.fromJson("{\"heads\": 3}"));
        assertEquals("dModel 256 is not divisible by heads 3", invalid.getMessage());
    }

    @Test
    void optimizerConfigRoundTripsAndValidates() {
        OptimizerConfig opt = new OptimizerConfig(OptimizerKind.SGD, 0.5, 0.8, 0.9, 1e-6, 0.0, 3, 30, Decay.COSINE, 0, 4);
        assertEquals(opt, OptimizerConfig.fromJson(opt.toJson()));
        assertEquals(OptimizerConfig.defaults().withLearningRate(0.01), OptimizerConfig.fromJson("{\"learningRate\": 0.01}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.fromJson("{\"lr\": 0.01}"))
                .getMessage().startsWith("unknown key 'lr'"));
        assertEquals("accumulationSteps 0 must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.defaults().withAccumulationSteps(0)).getMessage());
        assertEquals("totalSteps 10 must exceed warmupSteps 10 for LINEAR decay",
                assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.defaults().withSchedule(10, 10, Decay.LINEAR)).getMessage());
    }
}
