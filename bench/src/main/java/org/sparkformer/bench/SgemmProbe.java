package org.sparkformer.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The practical matmul peak of this JVM's BLAS: {@code Nd4j.gemm} of two n x n float matrices into a preallocated
 * f-order result, {@code 2 n³} FLOPs per call.
 */
public final class SgemmProbe {

    private SgemmProbe() {
    }

    /** One product's worth of the probe at a time, for figures that time the peak between their own passes. */
    public static final class Single {
        private final INDArray a;
        private final INDArray b;
        private final INDArray c;
        private final double flops;

        public Single(int n) {
            Nd4j.getRandom().setSeed(7);
            a = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
            b = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
            c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'f');
            flops = 2.0 * n * n * n;
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }

        /** GFLOP/s of one call. */
        public double gflops() {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            return flops / (System.nanoTime() - t0);
        }
    }

    /** GFLOP/s of {@code runs} timed calls after as many untimed ones. */
    public static Samples gflops(int n, int runs) {
        Nd4j.getRandom().setSeed(7);
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n).dup('f');
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'f');
        double flops = 2.0 * n * n * n;
        for (int i = 0; i < runs; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double[] out = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            out[i] = flops / (System.nanoTime() - t0);
        }
        return Samples.of(out);
    }
}
