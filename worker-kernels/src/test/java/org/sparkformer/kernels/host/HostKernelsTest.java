package org.sparkformer.kernels.host;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkformer.kernels.testing.ArrayFixtures.assertClose;
import static org.sparkformer.kernels.testing.ArrayFixtures.random;

/** The host kernels that replaced ND4J op chains compute what the op chains computed. */
class HostKernelsTest {

    /** {@code parts[p, b*heads + h, t, :] = tokens[b*T + t, p*d + h*dh ..]}: the per-head layout as a permuted copy. */
    private static INDArray perHead(INDArray tokens, int rows, int t, int parts, int heads, int dh) {
        return tokens.reshape(rows, t, parts, heads, dh).permute(2, 0, 3, 1, 4).dup('c').reshape(parts, rows * heads, t, dh);
    }

    private static INDArray part(INDArray perHead, int p) {
        return perHead.get(org.nd4j.linalg.indexing.NDArrayIndex.point(p), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
    }

    @Test
    void batchedMatMulOfDenseBatchesEqualsTheMatmulOpForEveryTransposeAndType() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray parts = random(13, 2, 6, 9, 9).castTo(type);           // operands at an offset in their buffer
            INDArray first = part(parts, 0);
            INDArray second = part(parts, 1);
            for (boolean transposeA : new boolean[]{false, true}) {
                for (boolean transposeB : new boolean[]{false, true}) {
                    INDArray expected = Nd4j.create(type, 6, 9, 9);
                    Nd4j.matmul(first, second, expected, transposeA, transposeB, false);
                    INDArray actual = Nd4j.create(type, 6, 9, 9).assign(7);
                    BatchedMatMul.multiply(BatchedMatMul.Operands.dense(first), transposeA, BatchedMatMul.Operands.dense(second),
                            transposeB, BatchedMatMul.Operands.dense(actual), 1.0);
                    assertArrayEquals(expected.data().asDouble(), actual.data().asDouble(), 0.0,
                            type + ", transposeA " + transposeA + ", transposeB " + transposeB);
                }
            }
        }
    }

    @Test
    void batchedMatMulReadsAndWritesHeadsInPlaceLikeThePermutedCopies() {
        int rows = 3;
        int t = 5;
        int heads = 2;
        int dh = 4;
        int d = heads * dh;
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray tokens = random(4, rows * t, 3L * d).castTo(type);
            INDArray copies = perHead(tokens, rows, t, 3, heads, dh);
            BatchedMatMul.Operands q = BatchedMatMul.Operands.heads(tokens, t, heads, dh, 0);
            BatchedMatMul.Operands k = BatchedMatMul.Operands.heads(tokens, t, heads, dh, d);
            BatchedMatMul.Operands v = BatchedMatMul.Operands.heads(tokens, t, heads, dh, 2 * d);

            INDArray scores = Nd4j.create(type, rows * heads, t, t);
            BatchedMatMul.multiply(q, false, k, true, BatchedMatMul.Operands.dense(scores), 0.5);
            INDArray expectedScores = Nd4j.create(type, rows * heads, t, t);
            Nd4j.matmul(part(copies, 0), part(copies, 1), expectedScores, false, true, false);
            assertClose(expectedScores.muli(0.5), scores, 1e-6, type + " q · kᵀ");

            INDArray merged = Nd4j.create(type, rows * t, d).assign(7);
            BatchedMatMul.multiply(BatchedMatMul.Operands.dense(scores), false, v, false,
                    BatchedMatMul.Operands.heads(merged, t, heads, dh, 0), 1.0);
            INDArray context = Nd4j.create(type, rows * heads, t, dh);
            Nd4j.matmul(scores, part(copies, 2), context, false, false, false);
            INDArray expectedMerged = context.reshape(rows, heads, t, dh).permute(0, 2, 1, 3).dup('c').reshape(rows * t, d);
            assertClose(expectedMerged, merged, 1e-6, type + " scores · v into the token layout");

            INDArray gradients = Nd4j.create(type, rows * t, 3L * d).assign(7);
            BatchedMatMul.multiply(BatchedMatMul.Operands.dense(scores), true, q, false,
                    BatchedMatMul.Operands.heads(gradients, t, heads, dh, d), 2.0);
            INDArray dk = Nd4j.create(type, rows * heads, t, dh);
            Nd4j.matmul(scores, part(copies, 0), dk, true, false, false);
            assertClose(dk.muli(2.0), part(perHead(gradients, rows, t, 3, heads, dh), 1), 1e-6, type + " scoresᵀ · q into part 1");
        }
    }

    @Test
    void batchedMatMulWithOpsComputesTheSameProducts() {
        INDArray tokens = random(16, 2 * 6, 3 * 8);
        BatchedMatMul.Operands q = BatchedMatMul.Operands.heads(tokens, 6, 2, 4, 0);
        BatchedMatMul.Operands k = BatchedMatMul.Operands.heads(tokens, 6, 2, 4, 8);
        INDArray blas = Nd4j.create(DataType.FLOAT, 4, 6, 6);
        INDArray ops = Nd4j.create(DataType.FLOAT, 4, 6, 6);
        BatchedMatMul.multiply(q, false, k, true, BatchedMatMul.Operands.dense(blas), 0.25);
        BatchedMatMul.multiplyWithOps(q, false, k, true, BatchedMatMul.Operands.dense(ops), 0.25);
        assertClose(ops, blas, 1e-6, "q · kᵀ");
        INDArray out = Nd4j.create(DataType.FLOAT, 2 * 6, 8);
        INDArray outWithOps = Nd4j.create(DataType.FLOAT, 2 * 6, 8);
        BatchedMatMul.multiply(BatchedMatMul.Operands.dense(blas), false, k, false, BatchedMatMul.Operands.heads(out, 6, 2, 4, 0), 1.0);
        BatchedMatMul.multiplyWithOps(BatchedMatMul.Operands.dense(blas), false, k, false, BatchedMatMul.Operands.heads(outWithOps, 6, 2, 4, 0), 1.0);
        assertClose(outWithOps, out, 1e-6, "scores · k into the token layout");
    }

    @Test
    void batchedMatMulRejectsOperandsThatDoNotFit() {
        INDArray a = random(15, 4, 3, 5);
        BatchedMatMul.Operands dense = BatchedMatMul.Operands.dense(a);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BatchedMatMul.multiply(dense, false, dense, false, BatchedMatMul.Operands.dense(Nd4j.create(DataType.FLOAT, 4, 3, 5)), 1.0));
        assertTrue(e.getMessage().contains("4 x [3, 5]"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BatchedMatMul.Operands.heads(Nd4j.create(DataType.FLOAT, 10, 8), 5, 2, 4, 4));
        assertTrue(e.getMessage().contains("[10, 8]"), e.getMessage());
    }

    @Test
    void columnSumsOfFloatRowsMatchTheDoublePass() {
        INDArray m = random(6, 4100, 300).muli(40).addi(3);
        INDArray floatSums = Nd4j.zeros(DataType.FLOAT, 300).addi(2.0);
        INDArray doubleSums = Nd4j.zeros(DataType.DOUBLE, 300).addi(2.0);
        ColumnSums.addTo(m, floatSums);
        ColumnSums.addTo(m.castTo(DataType.DOUBLE), doubleSums);
        assertClose(doubleSums, floatSums, 1e-6, "column sums");
    }

    @Test
    void columnSumsAreSummedPerBlockWhateverTheRowCount() {
        INDArray m = random(5, 1000, 7);
        INDArray sums = Nd4j.zeros(DataType.FLOAT, 7).addi(1.0);
        ColumnSums.addTo(m, sums);
        double[][] values = m.toDoubleMatrix();
        for (int c = 0; c < 7; c++) {
            double expected = 1.0;
            for (double[] row : values) {
                expected += row[c];
            }
            assertEquals(expected, sums.getDouble(c), 1e-5, "column " + c);
        }
    }

    @Test
    void biasRowsWithAResidualAddTheBiasToEveryResidualRow() {
        INDArray residual = random(11, 300, 9);
        INDArray bias = random(12, 9);
        INDArray out = residual.ulike();
        BiasRows.fill(out, bias, residual);
        assertEquals(residual.addRowVector(bias.reshape(1, 9)), out);
        INDArray wide = residual.castTo(DataType.DOUBLE);
        INDArray outWide = wide.ulike();
        BiasRows.fill(outWide, bias.castTo(DataType.DOUBLE), wide);
        assertEquals(wide.addRowVector(bias.castTo(DataType.DOUBLE).reshape(1, 9)), outWide);
    }

    @Test
    void biasRowsFillEveryRow() {
        INDArray out = Nd4j.zeros(DataType.FLOAT, 300, 9);
        INDArray bias = random(6, 9);
        BiasRows.fill(out, bias);
        for (int r = 0; r < 300; r++) {
            assertEquals(bias, out.getRow(r), "row " + r);
        }
    }

    @Test
    void floatExpIsWithinTwoUlpsOfExpAndZeroBelowTheNormalRange() {
        int n = 20001;
        float[] values = new float[n];
        float[] arguments = new float[n];
        for (int i = 0; i < n; i++) {
            arguments[i] = -100f + 188f * i / (n - 1);               // [-100, 88]
            values[i] = arguments[i];
        }
        FloatExp.exp(values, n, new float[n]);
        for (int i = 0; i < n; i++) {
            double expected = Math.exp(arguments[i]);
            if (expected < Float.MIN_NORMAL) {
                assertTrue(values[i] == 0f || Math.abs(values[i] - expected) <= 2 * Math.ulp(Float.MIN_NORMAL),
                        "exp(" + arguments[i] + ") = " + values[i]);
            } else {
                assertEquals(expected, values[i], 2 * Math.ulp((float) expected), "exp(" + arguments[i] + ")");
            }
        }
        float[] edges = {-1e9f, Float.NEGATIVE_INFINITY, 0f, Float.NaN};
        FloatExp.exp(edges, edges.length, new float[edges.length]);
        assertEquals(0f, edges[0]);
        assertEquals(0f, edges[1]);
        assertEquals(1f, edges[2]);
        assertTrue(Float.isNaN(edges[3]));
    }

    @Test
    void floatExpInLanesGivesTheBitsOfTheScalarLoopsForEveryLengthAndEdgeValue() {
        assertTrue(VectorLanes.enabled(), "the build runs tests with " + VectorLanes.JVM_OPTION + ": " + VectorLanes.describe());
        float[] edges = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, -1e9f, 1e9f,
                -104f, -103.99f, -87.34f, -87.33f, 88.3f, 88.31f, 0.34657359f, -0.34657359f, Float.MAX_VALUE, -Float.MAX_VALUE};
        java.util.Random random = new java.util.Random(5);
        for (int n = 0; n <= 70; n++) {
            float[] arguments = new float[n + 4099 * (n / 70)];
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = i % 9 == 0 ? edges[random.nextInt(edges.length)]
                        : (float) (random.nextBoolean() ? random.nextGaussian() * 4 : random.nextDouble() * 240 - 130);
            }
            float[] lanes = arguments.clone();
            float[] loops = arguments.clone();
            FloatExp.exp(lanes, lanes.length, new float[lanes.length]);
            FloatExp.loops(loops, loops.length, new float[loops.length]);
            for (int i = 0; i < arguments.length; i++) {
                assertEquals(Float.floatToRawIntBits(loops[i]), Float.floatToRawIntBits(lanes[i]),
                        "exp(" + arguments[i] + ") at " + i + " of " + arguments.length + ": " + loops[i] + " vs " + lanes[i]);
                assertEquals(Float.floatToRawIntBits(loops[i]), Float.floatToRawIntBits(FloatExp.one(arguments[i])),
                        "one value exp(" + arguments[i] + ")");
            }
        }
    }

    @Test
    void softmaxBackwardOnFloatsMatchesTheDoublePass() {
        int rows = 300;
        int width = 37;
        INDArray probs = Nd4j.zeros(DataType.FLOAT, rows, width);
        Nd4j.exec(new SoftMax(random(12, rows, width).muli(6), probs, 1));
        INDArray dProbs = random(13, rows, width);
        INDArray mask = random(14, rows, width).gt(-0.3).castTo(DataType.FLOAT).muli(1.25);
        INDArray weights = probs.mul(mask);
        INDArray floats = probs.ulike();
        SoftmaxBackward.rows(probs, dProbs, weights, floats, width);
        INDArray doubles = Nd4j.zeros(DataType.DOUBLE, rows, width);
        SoftmaxBackward.rows(probs.castTo(DataType.DOUBLE), dProbs.castTo(DataType.DOUBLE), weights.castTo(DataType.DOUBLE), doubles, width);
        for (int i = 0; i < floats.length(); i++) {
            assertEquals(doubles.getDouble(i), floats.getFloat(i), 1e-7, "score gradient " + i);
        }
    }

    @Test
    void softmaxBackwardThroughDroppedWeightsIsTheMaskedSoftmaxGradient() {
        int rows = 200;
        int width = 29;
        INDArray probs = Nd4j.zeros(DataType.DOUBLE, rows, width);
        Nd4j.exec(new SoftMax(random(15, rows, width).castTo(DataType.DOUBLE).muli(6), probs, 1));
        INDArray dWeights = random(16, rows, width).castTo(DataType.DOUBLE);
        INDArray mask = random(17, rows, width).gt(-0.3).castTo(DataType.DOUBLE).muli(1.25);
        INDArray g = dWeights.mul(mask);                                  // dL/dP through W = P * mask
        INDArray expected = probs.mul(g.subColumnVector(g.mul(probs).sum(true, 1)));
        INDArray dropped = probs.ulike();
        SoftmaxBackward.rows(probs, dWeights, probs.mul(mask), dropped, width);
        assertTrue(expected.equalsWithEps(dropped, 1e-12), "with dropped weights");
        INDArray plain = probs.ulike();
        SoftmaxBackward.rows(probs, dWeights, null, plain, width);
        INDArray expectedPlain = probs.mul(dWeights.subColumnVector(dWeights.mul(probs).sum(true, 1)));
        assertTrue(expectedPlain.equalsWithEps(plain, 1e-12), "without dropout");
    }
}
