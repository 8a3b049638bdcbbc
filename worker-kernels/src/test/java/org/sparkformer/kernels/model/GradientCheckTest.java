package org.sparkformer.kernels.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;
import org.sparkformer.kernels.testing.Batches;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Analytic gradients of every parameter group against central finite differences, in double precision. */
class GradientCheckTest {

    private static final double STEP = 1e-6;
    private static final double MAX_RELATIVE_ERROR = 1e-5;
    private static final int SAMPLES_PER_PARAMETER = 3;

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL),
                Arguments.of(Task.MASKED_LM, NormPlacement.POST, AttentionMode.BIDIRECTIONAL),
                Arguments.of(Task.CAUSAL_LM, NormPlacement.PRE, AttentionMode.CAUSAL),
                Arguments.of(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL),
                Arguments.of(Task.SEQUENCE_CLASSIFICATION, NormPlacement.POST, AttentionMode.CAUSAL),
                Arguments.of(Task.TOKEN_CLASSIFICATION, NormPlacement.POST, AttentionMode.BIDIRECTIONAL),
                Arguments.of(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.CAUSAL));
    }

    @ParameterizedTest(name = "{0} {1}-LN {2}")
    @MethodSource("variants")
    void analyticGradientsMatchFiniteDifferencesForEveryParameter(Task task, NormPlacement norm, AttentionMode attention) {
        TransformerConfig cfg = Batches.micro(task, norm, attention);
        check(cfg, 0L);
    }

    @Test
    void gradientsMatchWithUntiedDecoderMeanPoolingReluSinusoidsAndDropout() {
        TransformerConfig lm = Batches.micro(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withTieEmbeddings(false)
                .withArchitecture(Activation.RELU, PositionalEncoding.SINUSOIDAL, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withDropout(0.2, 0.3);
        check(lm, 99L);
        TransformerConfig cls = Batches.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.POST, AttentionMode.BIDIRECTIONAL)
                .withPooling(Pooling.MEAN);
        check(cls, 0L);
    }

    @Test
    void gradientsMatchWithTheEmbeddingLayerNormAndMeanWordPooling() {
        TransformerConfig lm = Batches.micro(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withEmbeddingNorm(true).withDropout(0.2, 0.0);
        check(lm, 3L);
        TransformerConfig tagger = Batches.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withEmbeddingNorm(true).withWordPooling(WordPooling.MEAN);
        check(tagger, 0L);
        TransformerConfig sinusoids = Batches.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.POST, AttentionMode.BIDIRECTIONAL)
                .withArchitecture(Activation.GELU, PositionalEncoding.SINUSOIDAL, NormPlacement.POST, AttentionMode.BIDIRECTIONAL)
                .withEmbeddingNorm(true);
        check(sinusoids, 0L);
    }

    @Test
    void gradientsMatchWithTheLocalConvolutionCentredAndCausalOverPadding() {
        TransformerConfig tagger = Batches.micro(Task.TOKEN_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withConvolution(3).withWordPooling(WordPooling.MEAN).withInitStd(0.3);
        check(tagger, 0L);
        TransformerConfig lm = Batches.micro(Task.CAUSAL_LM, NormPlacement.POST, AttentionMode.CAUSAL)
                .withConvolution(2).withDropout(0.2, 0.1).withInitStd(0.3);
        check(lm, 5L);
        TransformerConfig wide = Batches.micro(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withConvolution(5).withInitStd(0.3);
        check(wide, 0L);
    }

    @Test
    void gradientsMatchForMaskedLmWithReplacedTokenDetection() {
        TransformerConfig electra = Batches.micro(Task.MASKED_LM, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .withDiscriminatorWeight(5.0).withInitStd(0.3);
        check(electra, 0L);
        check(electra.withDropout(0.2, 0.1).withConvolution(3), 3L);
    }

    /** Dropout is deterministic in its seed, so the loss with a fixed seed is a function to differentiate. */
    private static void check(TransformerConfig cfg, long dropoutSeed) {
        TransformerModel model = new TransformerModel(cfg, DataType.DOUBLE);
        MiniBatch batch = Batches.random(cfg, 6, new int[] {6, 4, 3}, 11L);
        model.lossAndGradients(batch, dropoutSeed);
        INDArray analytic = model.flatGradients().dup();
        Map<String, INDArray> named = model.namedParameters();
        Map<String, INDArray> grads = model.namedGradients();
        Random pick = new Random(5);
        double dotAn = 0;
        double dotNn = 0;
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, INDArray> e : named.entrySet()) {
            INDArray value = e.getValue().reshape(e.getValue().length());
            INDArray grad = grads.get(e.getKey()).reshape(e.getValue().length());
            long length = value.length();
            long checkedNonZero = 0;
            for (int s = 0; s < SAMPLES_PER_PARAMETER * 3 && checkedNonZero < SAMPLES_PER_PARAMETER; s++) {
                long i = pick.nextInt((int) length);
                double original = value.getDouble(i);
                value.putScalar(i, original + STEP);
                double plus = model.trainingLoss(batch, dropoutSeed);
                value.putScalar(i, original - STEP);
                double minus = model.trainingLoss(batch, dropoutSeed);
                value.putScalar(i, original);
                double numeric = (plus - minus) / (2 * STEP);
                double a = analytic.getDouble(grad.offset() + i - model.flatGradients().offset());
                double scale = Math.abs(a) + Math.abs(numeric);
                double relative = scale < 1e-9 ? 0 : Math.abs(a - numeric) / scale;
                if (relative > MAX_RELATIVE_ERROR && Math.abs(a - numeric) > 1e-9) {
                    failures.append(String.format("%s[%d]: analytic %.10g numeric %.10g rel %.3g%n", e.getKey(), i, a, numeric, relative));
                }
                if (Math.abs(numeric) > 1e-7) {
                    checkedNonZero++;
                }
                dotAn += a * numeric;
                dotNn += numeric * numeric;
            }
            if (checkedNonZero == 0 && !e.getKey().equals("embeddings.position.weight")) {
                failures.append(e.getKey()).append(": no sampled entry has a non-zero gradient\n");
            }
        }
        if (failures.length() > 0) {
            fail(cfg.task() + " " + cfg.norm() + " " + cfg.attention() + ":\n" + failures);
        }
        double ratio = dotAn / dotNn;
        assertEquals(1.0, ratio, 1e-6, "analytic gradient is a multiple " + ratio + " of the numeric one");
        assertTrue(dotNn > 0);
    }
}
