package org.sparkformer.kernels.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host kernels that replaced ND4J op chains compute what the op chains computed. */
class HostKernelsTest {

    private static INDArray random(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    @Test
    void dropoutMaskIsTheUniformThresholdAndScalesLikeTheArrayProduct() {
        double p = 0.1;
        INDArray x = random(1, 3, 5000);
        INDArray mask = x.ulike();
        INDArray out = x.ulike();
        new Dropout(p).apply(x, mask, out, 42L);
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
    void headLayoutSplitsLikeThePermuteAndMergesBack() {
        int rows = 3;
        int t = 5;
        int heads = 2;
        int dh = 4;
        INDArray tokens = random(4, rows * t, 3L * heads * dh);
        INDArray perHead = Nd4j.zeros(DataType.FLOAT, 3, rows * heads, t, dh);
        HeadLayout layout = new HeadLayout(rows, t, heads, dh);
        layout.split(tokens, perHead, 3, 0.5);
        INDArray expected = tokens.reshape(rows, t, 3, heads, dh).permute(2, 0, 3, 1, 4).dup('c').reshape(3, rows * heads, t, dh);
        expected.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).muli(0.5);
        assertEquals(expected, perHead);
        INDArray back = tokens.ulike();
        layout.merge(perHead, back, 3, 2.0);
        assertEquals(tokens, back);
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
    void biasRowsFillEveryRow() {
        INDArray out = Nd4j.zeros(DataType.FLOAT, 300, 9);
        INDArray bias = random(6, 9);
        BiasRows.fill(out, bias);
        for (int r = 0; r < 300; r++) {
            assertEquals(bias, out.getRow(r), "row " + r);
        }
    }
}
