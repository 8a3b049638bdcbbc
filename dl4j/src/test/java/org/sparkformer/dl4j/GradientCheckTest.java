package org.sparkformer.dl4j;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's own {@link GradientCheckUtil} over every parameter of double-precision graphs fed padded batches through
 * the feature mask: DL4J's numeric gradient of the graph's score against the backpropagated one, after DL4J's
 * updater (no-op, but dividing by the minibatch size as in training). The check perturbs every parameter, two
 * passes each, so the graphs are the smallest that still have two blocks, padding and every kind of head; the
 * other variants (CLS pooling, causal LM) are held to the model's gradients exactly by {@link EncoderGraphTest},
 * and the model's to finite differences by the worker kernels' own gradient check.
 */
class GradientCheckTest {

    private static DataType defaultType;
    private static DataType defaultFloatingType;

    @BeforeAll
    static void doublePrecision() {
        defaultType = Nd4j.dataType();
        defaultFloatingType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(defaultType, defaultFloatingType);
    }

    static Stream<Arguments> graphs() {
        return Stream.of(
                Arguments.of("sequence MEAN post-LN causal conv", Fixtures.nano(Task.SEQUENCE_CLASSIFICATION,
                        NormPlacement.POST, AttentionMode.CAUSAL).withPooling(Pooling.MEAN).withConvolution(3)),
                Arguments.of("tagger word-mean pre-LN conv embedding-LN", Fixtures.nano(Task.TOKEN_CLASSIFICATION,
                        NormPlacement.PRE, AttentionMode.BIDIRECTIONAL).withWordPooling(WordPooling.MEAN)
                        .withConvolution(3).withEmbeddingNorm(true)),
                Arguments.of("masked LM untied pre-LN", Fixtures.nano(Task.MASKED_LM, NormPlacement.PRE,
                        AttentionMode.BIDIRECTIONAL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void dl4jGradientCheckPassesForEveryParameterWithPaddingMasks(String name, TransformerConfig cfg) {
        ComputationGraph graph = EncoderGraph.toComputationGraph(new TransformerModel(cfg, DataType.DOUBLE), new NoOp());
        MiniBatch batch = Fixtures.batch(cfg, 5, new int[] {5, 3}, 11L);
        MultiDataSet data = EncoderGraph.toMultiDataSet(batch, DataType.DOUBLE, cfg.task());
        INDArray mask = data.getFeaturesMaskArray(0);
        assertTrue(mask.minNumber().doubleValue() == 0, "the batch has padding");
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(data.getFeatures())
                .labels(data.getLabels())
                .inputMask(data.getFeaturesMaskArrays())
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9)
                .exitOnFirstError(false));
        assertTrue(passed, name + ": DL4J's gradient check failed (the failing parameters are logged)");
    }
}
