package org.sparkformer.kernels.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.host.VectorLanes;
import org.sparkformer.kernels.random.SplitMix64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkformer.kernels.testing.ArrayFixtures.assertClose;
import static org.sparkformer.kernels.testing.ArrayFixtures.random;

/**
 * The layers' own passes over host memory (dropout, LayerNorm, embeddings, GELU, attention softmax, cross-entropy)
 * compute what the ND4J op chains computed.
 */
class LayerHostPassesTest {

    @Test
    void dropoutMaskIsTheUniformThresholdAndScalesLikeTheArrayProduct() {
        double p = 0.1;
        INDArray x = random(1, 3, 5000);
        INDArray mask = x.ulike();
        INDArray out = x.ulike();
        new Dropout(p).apply(x, mask, out, 42L);
        INDArray withoutMask = x.ulike();
        new Dropout(p).apply(x, null, withoutMask, 42L);
        assertEquals(out, withoutMask);
        float keep = (float) (1.0 / (1.0 - p));
        int dropped = 0;
        for (int i = 0; i < x.length(); i++) {
            float expected = SplitMix64.uniform(42L, i) < p ? 0f : keep;
            assertEquals(expected, mask.getFloat(i), "mask element " + i);
            dropped += expected == 0f ? 1 : 0;
        }
        assertEquals(x.mul(mask), out);
        assertTrue(dropped > 1200 && dropped < 1800, "dropped " + dropped + " of 15000 at p = 0.1");
    }

    @Test
    void doubleDropoutMaskIsTheUniformThreshold() {
        double p = 0.3;
        INDArray x = random(6, 2, 4500).castTo(DataType.DOUBLE);
        INDArray mask = x.ulike();
        INDArray out = x.ulike();
        new Dropout(p).apply(x, mask, out, 9L);
        for (int i = 0; i < x.length(); i++) {
            double expected = SplitMix64.uniform(9L, i) < p ? 0.0 : 1.0 / (1.0 - p);
            assertEquals(expected, mask.getDouble(i), "mask element " + i);
        }
        assertEquals(x.mul(mask), out);
    }

    @Test
    void dropoutBackwardMultipliesTheGradientByTheMask() {
        INDArray grad = random(18, 3, 5001);
        INDArray mask = grad.ulike();
        new Dropout(0.25).apply(random(19, 3, 5001), mask, grad.ulike(), 5L);
        INDArray out = grad.ulike();
        Dropout.backward(grad, mask, out);
        assertEquals(grad.mul(mask), out);
        INDArray inPlace = grad.dup();
        Dropout.backward(inPlace, mask, inPlace);
        assertEquals(out, inPlace);
    }

    @Test
    void dropoutAddedToTheResidualEqualsDropoutThenAdd() {
        INDArray branch = random(2, 64, 300);
        INDArray residual = random(3, 64, 300);
        INDArray mask = branch.ulike();
        INDArray fused = branch.ulike();
        new Dropout(0.2).applyAndAdd(branch, mask, residual, fused, 7L);
        INDArray dropped = branch.ulike();
        new Dropout(0.2).apply(branch, mask.ulike(), dropped, 7L);
        assertEquals(residual.add(dropped), fused);
    }

    @Test
    void layerNormMatchesTheOpFormulationForwardAndBackward() {
        int width = 130;
        ParameterSet params = new ParameterSet(DataType.DOUBLE);
        LayerNorm norm = new LayerNorm(params, "ln", width);
        params.allocate(1, 0.02);
        params.get("ln.gamma").value().assign(random(7, width).castTo(DataType.DOUBLE).addi(1.0));
        params.get("ln.beta").value().assign(random(8, width).castTo(DataType.DOUBLE));
        INDArray x = random(9, 150, width).castTo(DataType.DOUBLE).muli(3).addi(0.7);
        INDArray y = x.ulike();
        Workspace ws = new Workspace(DataType.DOUBLE);
        norm.forward(x, y, ws);
        INDArray gamma = params.get("ln.gamma").value().reshape(1, width);
        INDArray centred = x.subColumnVector(x.mean(true, 1));
        INDArray rstd = org.nd4j.linalg.ops.transforms.Transforms.pow(
                centred.mul(centred).mean(true, 1).addi(LayerNorm.EPSILON), -0.5);
        INDArray xhat = centred.mulColumnVector(rstd);
        INDArray expected = xhat.mulRowVector(gamma).addRowVector(params.get("ln.beta").value().reshape(1, width));
        assertTrue(expected.equalsWithEps(y, 1e-12), "forward");

        INDArray dy = random(10, 150, width).castTo(DataType.DOUBLE);
        INDArray dx = x.ulike().assign(0.25);
        norm.backward(dy, dx, true, ws);
        INDArray g = dy.mulRowVector(gamma);
        INDArray expectedDx = g.subColumnVector(g.mean(true, 1))
                .subi(xhat.mulColumnVector(g.mul(xhat).mean(true, 1))).muliColumnVector(rstd).addi(0.25);
        assertTrue(expectedDx.equalsWithEps(dx, 1e-12), "dx");
        assertTrue(dy.mul(xhat).sum(0).equalsWithEps(params.get("ln.gamma").grad(), 1e-12), "gamma gradient");
        assertTrue(dy.sum(0).equalsWithEps(params.get("ln.beta").grad(), 1e-12), "beta gradient");
        INDArray addend = random(11, 150, width).castTo(DataType.DOUBLE);
        INDArray dxWithAddend = x.ulike();
        norm.backward(dy, dxWithAddend, addend, ws);
        assertTrue(expectedDx.subi(0.25).addi(addend).equalsWithEps(dxWithAddend, 1e-12), "dx with an addend");
    }

    /** A LayerNorm over {@code width} features in {@code type}, with the same random gamma and beta for every type. */
    private static LayerNorm layerNorm(DataType type, int width, ParameterSet params) {
        LayerNorm norm = new LayerNorm(params, "ln", width);
        params.allocate(1, 0.02);
        params.get("ln.gamma").value().assign(random(7, width).castTo(type).addi(1.0));
        params.get("ln.beta").value().assign(random(8, width).castTo(type));
        return norm;
    }

    @Test
    void layerNormOnFloatsMatchesTheDoublePass() {
        int width = 130;
        int rows = 150;
        ParameterSet doubleParams = new ParameterSet(DataType.DOUBLE);
        LayerNorm doubleNorm = layerNorm(DataType.DOUBLE, width, doubleParams);
        ParameterSet floatParams = new ParameterSet(DataType.FLOAT);
        LayerNorm floatNorm = layerNorm(DataType.FLOAT, width, floatParams);
        INDArray x = random(9, rows, width).muli(3).addi(0.7);
        INDArray dy = random(10, rows, width);
        INDArray addend = random(11, rows, width);
        Workspace doubleWs = new Workspace(DataType.DOUBLE);
        Workspace floatWs = new Workspace(DataType.FLOAT);

        INDArray expected = Nd4j.create(DataType.DOUBLE, rows, width);
        doubleNorm.forward(x.castTo(DataType.DOUBLE), expected, doubleWs);
        INDArray y = x.ulike();
        floatNorm.forward(x, y, floatWs);
        INDArray expectedDx = Nd4j.create(DataType.DOUBLE, rows, width);
        doubleNorm.backward(dy.castTo(DataType.DOUBLE), expectedDx, addend.castTo(DataType.DOUBLE), doubleWs);
        INDArray dx = x.ulike();
        floatNorm.backward(dy, dx, addend, floatWs);

        assertClose(expected, y, 1e-5, "forward");
        assertClose(expectedDx, dx, 1e-5, "dx with an addend");
        assertClose(doubleParams.get("ln.gamma").grad(), floatParams.get("ln.gamma").grad(), 1e-5, "gamma gradient");
        assertClose(doubleParams.get("ln.beta").grad(), floatParams.get("ln.beta").grad(), 1e-5, "beta gradient");
    }

    @Test
    void layerNormInEvalModeWritesTheSameOutputAndKeepsNothingForBackward() {
        int width = 64;
        LayerNorm norm = layerNorm(DataType.FLOAT, width, new ParameterSet(DataType.FLOAT));
        INDArray x = random(12, 40, width).muli(2);
        Workspace training = new Workspace(DataType.FLOAT);
        Workspace eval = new Workspace(DataType.FLOAT);
        INDArray yTraining = x.ulike();
        INDArray yEval = x.ulike();
        norm.forward(x, yTraining, training, true);
        norm.forward(x, yEval, eval, false);
        assertEquals(yTraining, yEval);
        assertTrue(training.bytes() > 0, "training keeps the normalised input");
        assertEquals(0, eval.bytes(), "eval mode keeps no buffers");
    }

    @Test
    void embeddingsGatherScaleAndAddPositionsLikeTheOpChain() {
        for (PositionalEncoding positional : PositionalEncoding.values()) {
            TransformerConfig cfg = TransformerConfig.tiny(50)
                    .withArchitecture(Activation.GELU, positional, NormPlacement.PRE,
                            AttentionMode.BIDIRECTIONAL);
            ParameterSet params = new ParameterSet(DataType.FLOAT);
            Embeddings embeddings = new Embeddings(params, cfg);
            params.allocate(3, 0.5);
            int rows = 3;
            int seqLen = 7;
            int[] ids = new int[rows * seqLen];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 17 + 5) % 50;
            }
            INDArray out = Nd4j.zeros(DataType.FLOAT, ids.length, cfg.dModel());
            embeddings.forward(ids, out, new BatchContext(rows, seqLen, new Workspace(DataType.FLOAT), false, 0L, null, null));
            INDArray table = embeddings.tokenWeight().value();
            INDArray positions = params.contains("embeddings.position.weight") ? params.get("embeddings.position.weight").value()
                    : Embeddings.sinusoidTable(cfg.maxLength(), cfg.dModel(), DataType.FLOAT);
            for (int n = 0; n < ids.length; n++) {
                INDArray expected = table.getRow(ids[n]).mul(Math.sqrt(cfg.dModel())).addi(positions.getRow(n % seqLen));
                assertArrayEquals(expected.toFloatVector(), out.getRow(n).toFloatVector(), 0f,
                        positional + " row " + n);
            }
        }
    }

    @Test
    void geluBackwardInLanesGivesTheBitsOfTheScalarLoopsForEveryLengthAndEdgeValue() {
        assertTrue(VectorLanes.enabled(), "the build runs tests with " + VectorLanes.JVM_OPTION + ": " + VectorLanes.describe());
        float[] edges = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -60f, 60f, Float.POSITIVE_INFINITY};
        float scale = (float) ActivationFunction.GELU_SCALE;
        java.util.Random random = new java.util.Random(9);
        for (int n = 0; n <= 70; n++) {
            int length = n + 4099 * (n / 70);
            float[] input = new float[length];
            float[] out = new float[length];
            float[] gradient = new float[length];
            for (int i = 0; i < length; i++) {
                input[i] = i % 7 == 0 ? edges[random.nextInt(edges.length)] : (float) (random.nextGaussian() * 3);
                out[i] = (float) (input[i] / (1 + Math.exp(-ActivationFunction.GELU_SCALE * input[i])));
                gradient[i] = (float) random.nextGaussian();
            }
            float[] lanes = gradient.clone();
            float[] loops = gradient.clone();
            ActivationFunction.geluBackwardChunk(input, out.clone(), lanes, length, scale);
            ActivationFunction.geluBackwardLoops(input, out.clone(), loops, length, scale);
            for (int i = 0; i < length; i++) {
                assertEquals(Float.floatToRawIntBits(loops[i]), Float.floatToRawIntBits(lanes[i]),
                        "gelu'(" + input[i] + ") at " + i + " of " + length + ": " + loops[i] + " vs " + lanes[i]);
            }
        }
    }

    @Test
    void attentionSoftmaxEqualsTheSoftmaxOfMaskedScores() {
        int rows = 3;
        int heads = 2;
        int t = 7;
        INDArray scores = random(7, rows * heads, t, t).muli(8);
        INDArray bias = Nd4j.zeros(DataType.FLOAT, rows, t * t);
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    bias.putScalar(b, i * t + j, j >= t - b || j > i + 3 ? AttentionBias.MASKED : 0.0);
                }
            }
        }
        INDArray probs = scores.ulike();
        AttentionSoftmax.rows(scores, bias, heads, t, probs);

        INDArray masked = scores.dup().reshape(rows, heads, (long) t * t);
        Nd4j.exec(new BroadcastAddOp(masked, bias, masked, 0, 2));
        INDArray expected = scores.ulike();
        Nd4j.exec(new SoftMax(masked.reshape((long) rows * heads * t, t), expected.reshape((long) rows * heads * t, t), 1));
        for (int i = 0; i < probs.length(); i++) {
            assertEquals(expected.getFloat(i), probs.getFloat(i), 2e-7, "probability " + i);
            if (expected.getFloat(i) == 0f) {
                assertEquals(0f, probs.getFloat(i), "masked probability " + i);
            }
        }
        INDArray doubles = Nd4j.zeros(DataType.DOUBLE, rows * heads, t, t);
        AttentionSoftmax.rows(scores.castTo(DataType.DOUBLE), bias.castTo(DataType.DOUBLE), heads, t, doubles);
        assertTrue(doubles.castTo(DataType.FLOAT).equalsWithEps(expected, 2e-7), "double rows");
    }

    @Test
    void attentionSoftmaxWithDropoutWritesTheDropoutOfItsProbabilities() {
        int t = 128;
        INDArray scores = random(20, 8, t, t).muli(8);          // 1024 rows: several passes and both host threads
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray typed = scores.castTo(type);
            INDArray probs = typed.ulike();
            INDArray weights = typed.ulike();
            Dropout dropout = new Dropout(0.1);
            AttentionSoftmax.rows(typed, null, 4, t, probs, dropout, 77L, weights);
            INDArray plain = typed.ulike();
            AttentionSoftmax.rows(typed, null, 4, t, plain);
            INDArray expected = typed.ulike();
            dropout.apply(plain, null, expected, 77L);
            assertArrayEquals(plain.data().asDouble(), probs.data().asDouble(), 0.0, type + " probabilities");
            assertArrayEquals(expected.data().asDouble(), weights.data().asDouble(), 0.0, type + " dropped weights");
        }
    }

    @Test
    void geluForwardMatchesTheLibnd4jOp() {
        INDArray x = random(8, 100, 301).muli(30);
        INDArray out = x.ulike();
        new ActivationFunction(Activation.GELU).forward(x, out);
        INDArray expected = x.ulike();
        Nd4j.exec(new GELU(x, expected));
        for (int i = 0; i < x.length(); i++) {
            float e = expected.getFloat(i);
            assertEquals(e, out.getFloat(i), 3 * Math.ulp(e) + 1e-30f, "gelu(" + x.getFloat(i) + ")");
        }
    }

    @Test
    void crossEntropyMatchesTheLogSoftmaxFormulation() {
        int rows = 9;
        int classes = 5000;
        INDArray logits = random(9, rows, classes).muli(20);
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) {
            targets[r] = r % 3 == 1 ? MiniBatch.IGNORE : (r * 977) % classes;
        }
        INDArray grad = logits.ulike();
        double loss = SoftmaxCrossEntropy.meanLoss(logits, targets, grad);

        INDArray logProbs = logits.castTo(DataType.DOUBLE);
        Nd4j.exec(new LogSoftMax(logProbs.dup(), logProbs));
        double expectedLoss = 0;
        int counted = SoftmaxCrossEntropy.counted(targets);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < classes; j++) {
                double expected = 0;
                if (targets[r] != MiniBatch.IGNORE) {
                    expected = (Math.exp(logProbs.getDouble(r, j)) - (j == targets[r] ? 1 : 0)) / counted;
                }
                assertEquals(expected, grad.getDouble(r, j), 1e-7, "gradient " + r + ", " + j);
            }
            if (targets[r] != MiniBatch.IGNORE) {
                expectedLoss -= logProbs.getDouble(r, targets[r]) / counted;
            }
        }
        assertEquals(expectedLoss, loss, 1e-5);
        assertEquals(loss, SoftmaxCrossEntropy.meanLoss(logits, targets, null));
    }

    @Test
    void geluBackwardOnFloatsMatchesTheDoublePass() {
        INDArray x = random(10, 50, 301).muli(12);
        x.putScalar(7, 0.0);
        INDArray out = x.ulike();
        ActivationFunction gelu = new ActivationFunction(Activation.GELU);
        gelu.forward(x, out);
        INDArray grad = random(11, 50, 301);
        INDArray doubles = grad.castTo(DataType.DOUBLE);
        gelu.backward(x.castTo(DataType.DOUBLE), out.castTo(DataType.DOUBLE), doubles);
        gelu.backward(x, out, grad);
        for (int i = 0; i < grad.length(); i++) {
            assertEquals(doubles.getDouble(i), grad.getFloat(i), 1e-6, "gradient " + i + " at x = " + x.getFloat(i));
        }
    }
}
