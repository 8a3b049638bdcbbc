package org.sparkformer.kernels.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OptimizerTest {

    private static INDArray row(double... values) {
        return Nd4j.createFromArray(values).reshape(1, values.length);
    }

    @Test
    void adamWStepsMatchAHandComputation() {
        OptimizerConfig cfg = new OptimizerConfig(OptimizerKind.ADAMW, 0.1, 0.9, 0.999, 1e-8, 0.5, 0, 0, Decay.CONSTANT, 0, 1);
        double[] p = {1.0, -2.0, 0.5};
        double[] g1 = {0.3, -0.1, 2.0};
        double[] g2 = {-0.2, 0.4, 1.0};
        double[] mask = {1, 0, 1};
        INDArray params = row(p.clone());
        Optimizer adamw = Optimizer.create(cfg, row(mask));
        adamw.step(params, row(g1), 0.1, 1);
        adamw.step(params, row(g2), 0.05, 2);

        double[] m = new double[3];
        double[] v = new double[3];
        double[][] gs = {g1, g2};
        double[] lrs = {0.1, 0.05};
        for (int t = 1; t <= 2; t++) {
            for (int i = 0; i < 3; i++) {
                double lr = lrs[t - 1];
                double g = gs[t - 1][i];
                p[i] -= lr * 0.5 * mask[i] * p[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        assertArrayEquals(p, params.toDoubleVector(), 1e-12);
        double[] state = adamw.state().toDoubleVector();
        assertArrayEquals(new double[] {m[0], m[1], m[2], v[0], v[1], v[2]}, state, 1e-15);
    }

    @Test
    void adamWOnFloatsFollowsTheDoubleStepsOverManyChunks() {
        OptimizerConfig cfg = new OptimizerConfig(OptimizerKind.ADAMW, 0.1, 0.9, 0.999, 1e-8, 0.5, 0, 0, Decay.CONSTANT, 0, 1);
        int n = 10007;
        Nd4j.getRandom().setSeed(3);
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, n);
        INDArray mask = Nd4j.rand(DataType.DOUBLE, 1, n).gt(0.3).castTo(DataType.DOUBLE);
        Optimizer exact = Optimizer.create(cfg, mask);
        Optimizer single = Optimizer.create(cfg, mask.castTo(DataType.FLOAT));
        INDArray floats = params.castTo(DataType.FLOAT);
        for (int step = 1; step <= 3; step++) {
            INDArray grads = Nd4j.randn(DataType.DOUBLE, 1, n);
            exact.step(params, grads, 0.01, step);
            single.step(floats, grads.castTo(DataType.FLOAT), 0.01, step);
        }
        assertArrayEquals(params.toDoubleVector(), floats.castTo(DataType.DOUBLE).toDoubleVector(), 1e-5);
        assertArrayEquals(exact.state().toDoubleVector(), single.state().castTo(DataType.DOUBLE).toDoubleVector(), 1e-5);
    }

    @Test
    void aGradientScaleInTheStepEqualsScalingTheGradientsFirst() {
        int n = 9001;
        for (OptimizerKind kind : new OptimizerKind[] {OptimizerKind.ADAMW, OptimizerKind.SGD}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                OptimizerConfig cfg = new OptimizerConfig(kind, 0.1, 0.9, 0.999, 1e-8, 0.5, 0, 0, Decay.CONSTANT, 0, 1);
                Nd4j.getRandom().setSeed(4);
                INDArray mask = Nd4j.rand(DataType.DOUBLE, 1, n).gt(0.3).castTo(type);
                INDArray fused = Nd4j.randn(DataType.DOUBLE, 1, n).castTo(type);
                INDArray separate = fused.dup();
                Optimizer inStep = Optimizer.create(cfg, mask);
                Optimizer first = Optimizer.create(cfg, mask);
                for (int step = 1; step <= 3; step++) {
                    INDArray grads = Nd4j.randn(DataType.DOUBLE, 1, n).castTo(type);
                    double scale = 0.37 / step;
                    INDArray kept = grads.dup();
                    inStep.step(fused, grads, scale, 0.01, step);
                    assertArrayEquals(kept.toDoubleVector(), grads.toDoubleVector(), 0.0, "gradients left as they are");
                    first.step(separate, grads.muli(scale), 0.01, step);
                }
                assertArrayEquals(separate.toDoubleVector(), fused.toDoubleVector(), 0.0, kind + " " + type);
                assertArrayEquals(first.state().data().asDouble(), inStep.state().data().asDouble(), 0.0, kind + " " + type + " state");
            }
        }
    }

    @Test
    void clippingScaleIsTheRatioOnlyAboveTheLimit() {
        assertEquals(0.5, GradientClipping.scaleFor(13.0, 6.5), 1e-15);
        assertEquals(1.0, GradientClipping.scaleFor(0.5, 1.0));
        assertEquals(1.0, GradientClipping.scaleFor(13.0, 0.0));
    }

    @Test
    void adamAddsWeightDecayToTheGradient() {
        OptimizerConfig cfg = new OptimizerConfig(OptimizerKind.ADAM, 0.1, 0.9, 0.999, 1e-8, 0.5, 0, 0, Decay.CONSTANT, 0, 1);
        INDArray params = row(2.0);
        Optimizer adam = Optimizer.create(cfg, row(1));
        adam.step(params, row(0.0), 0.1, 1);
        // g' = 0 + 0.5 * 2 = 1; first Adam step moves by lr * sign(g') (up to eps)
        assertEquals(2.0 - 0.1, params.getDouble(0), 1e-7);
    }

    @Test
    void sgdStepIsLearningRateTimesGradient() {
        OptimizerConfig cfg = OptimizerConfig.defaults().withKind(OptimizerKind.SGD).withWeightDecay(0);
        INDArray params = row(1.0, 2.0);
        Optimizer sgd = Optimizer.create(cfg, row(1, 1));
        sgd.step(params, row(0.5, -1.0), 0.2, 1);
        assertArrayEquals(new double[] {0.9, 2.2}, params.toDoubleVector(), 1e-12);
        assertEquals(0, sgd.state().length());
    }

    @Test
    void scheduleWarmsUpThenDecays() {
        OptimizerConfig base = OptimizerConfig.defaults().withLearningRate(1.0);
        LearningRateSchedule linear = new LearningRateSchedule(base.withSchedule(10, 110, Decay.LINEAR));
        assertEquals(0.1, linear.at(1), 1e-12);
        assertEquals(1.0, linear.at(10), 1e-12);
        assertEquals(1.0, linear.at(11), 1e-12);
        assertEquals(0.5, linear.at(61), 1e-12);
        assertEquals(0.01, linear.at(110), 1e-12);
        assertEquals(0.0, linear.at(500), 1e-12);
        LearningRateSchedule cosine = new LearningRateSchedule(base.withSchedule(0, 100, Decay.COSINE));
        assertEquals(1.0, cosine.at(1), 1e-12);
        assertEquals(0.5, cosine.at(51), 1e-12);
        LearningRateSchedule constant = new LearningRateSchedule(base.withSchedule(4, 0, Decay.CONSTANT));
        assertEquals(0.5, constant.at(2), 1e-12);
        assertEquals(1.0, constant.at(1000), 1e-12);
    }

    @Test
    void clippingYieldsTheRequestedNormAndReportsThePreClipNorm() {
        INDArray g = Nd4j.createFromArray(3.0f, 4.0f, 0f, 12.0f).reshape(1, 4);
        assertEquals(13.0, GradientClipping.clipGlobalNorm(g, 6.5), 1e-6);
        assertEquals(6.5, g.norm2Number().doubleValue(), 1e-5);
        assertArrayEquals(new float[] {1.5f, 2f, 0f, 6f}, g.toFloatVector(), 1e-6f);
        INDArray small = Nd4j.createFromArray(0.3, 0.4).reshape(1, 2);
        assertEquals(0.5, GradientClipping.clipGlobalNorm(small, 1.0), 1e-12);
        assertArrayEquals(new double[] {0.3, 0.4}, small.toDoubleVector(), 0.0);
        assertEquals(DataType.DOUBLE, small.dataType());
    }
}
