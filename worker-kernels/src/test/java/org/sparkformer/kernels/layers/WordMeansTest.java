package org.sparkformer.kernels.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class WordMeansTest {

    private static final int I = MiniBatch.IGNORE;

    /** Two rows of 6: [CLS] w0 w0 w1 [SEP] pad, and [CLS] w0 w1 w1 w1 [SEP]. */
    private static MiniBatch tagged() {
        return new MiniBatch(2, 6, new int[] {2, 5, 6, 7, 1, 0, 2, 5, 6, 7, 8, 1},
                new int[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1},
                new int[] {I, 0, I, 1, I, I, I, 1, 2, I, I, I});
    }

    @Test
    void aWordRunsToTheNextWordStartOrToTheRowsSeparator() {
        assertArrayEquals(new int[] {3, 4, 8, 11}, WordMeans.endsOf(tagged(), new int[] {1, 3, 7, 8}));
    }

    @Test
    void pooledRowsAreTheMeansOfTheirWordsAndGradientsSpreadEvenly() {
        INDArray hidden = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(12, 1);
        Workspace ws = new Workspace(DataType.DOUBLE);
        INDArray pooled = WordMeans.pool(hidden, tagged(), new int[] {1, 3, 7, 8}, ws);
        assertArrayEquals(new double[] {1.5, 3, 7, 9}, pooled.toDoubleVector(), 1e-12);
        INDArray dHidden = Nd4j.zeros(DataType.DOUBLE, 12, 1);
        WordMeans.backward(Nd4j.createFromArray(2.0, 1.0, 1.0, 3.0).reshape(4, 1), tagged(), new int[] {1, 3, 7, 8}, dHidden);
        assertArrayEquals(new double[] {0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0}, dHidden.toDoubleVector(), 1e-12);
    }
}
