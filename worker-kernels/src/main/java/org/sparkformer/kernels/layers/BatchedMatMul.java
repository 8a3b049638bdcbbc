package org.sparkformer.kernels.layers;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batched products of attention, {@code c[i] = op(a[i]) · op(b[i])} for every matrix i of contiguous c-order
 * {@code [batch, rows, cols]} arrays (the per-head layout of {@link HeadLayout}): one row-major {@code cblas_?gemm}
 * per matrix, straight on the arrays' host memory. On the CPU backend this is the BLAS that libnd4j's batched
 * {@code Nd4j.matmul} calls per matrix as well (same results), without the op's dispatch and its
 * thread-pool hand-off per matrix, which held the {@code [128, 128, 64]} products of the reference model to about a
 * quarter of the sgemm rate. Other backends, and arrays that are not contiguous c-order, go through
 * {@code Nd4j.matmul}.
 */
public final class BatchedMatMul {

    private static final boolean HOST_BLAS = "CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName());

    private BatchedMatMul() {
    }

    /** {@code c[i] = op(a[i]) · op(b[i])}, op transposing when asked; c is overwritten. */
    public static void multiply(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        if (!HOST_BLAS || !fits(a) || !fits(b) || !fits(c) || a.dataType() != c.dataType() || b.dataType() != c.dataType()
                || (c.dataType() != DataType.FLOAT && c.dataType() != DataType.DOUBLE)) {
            Nd4j.matmul(a, b, c, transposeA, transposeB, false);
            return;
        }
        Operand left = new Operand(a, transposeA);
        Operand right = new Operand(b, transposeB);
        int batch = Math.toIntExact(c.size(0));
        int m = Math.toIntExact(c.size(1));
        int n = Math.toIntExact(c.size(2));
        if (a.size(0) != batch || b.size(0) != batch || left.rows != m || right.cols != n || left.cols != right.rows) {
            throw new IllegalArgumentException("batched product of " + java.util.Arrays.toString(a.shape()) + (transposeA ? "ᵀ" : "")
                    + " and " + java.util.Arrays.toString(b.shape()) + (transposeB ? "ᵀ" : "") + " does not fit "
                    + java.util.Arrays.toString(c.shape()));
        }
        int k = left.cols;
        if (c.dataType() == DataType.FLOAT) {
            FloatPointer pa = new FloatPointer(a.data().addressPointer());
            FloatPointer pb = new FloatPointer(b.data().addressPointer());
            FloatPointer pc = new FloatPointer(c.data().addressPointer());
            for (int i = 0; i < batch; i++) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, left.op(), right.op(), m, n, k,
                        1f, pa.position(left.start(i)), left.ld(), pb.position(right.start(i)), right.ld(),
                        0f, pc.position((long) i * m * n), n);
            }
        } else {
            DoublePointer pa = new DoublePointer(a.data().addressPointer());
            DoublePointer pb = new DoublePointer(b.data().addressPointer());
            DoublePointer pc = new DoublePointer(c.data().addressPointer());
            for (int i = 0; i < batch; i++) {
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, left.op(), right.op(), m, n, k,
                        1.0, pa.position(left.start(i)), left.ld(), pb.position(right.start(i)), right.ld(),
                        0.0, pc.position((long) i * m * n), n);
            }
        }
    }

    /** A rank-3 c-order array whose matrices follow each other densely in memory. */
    private static boolean fits(INDArray x) {
        return x.rank() == 3 && x.ordering() == 'c' && x.elementWiseStride() == 1
                && x.stride(2) == 1 && x.stride(1) == x.size(2) && x.stride(0) == x.size(1) * x.size(2);
    }

    /** One operand: its stored matrices {@code [storedRows, storedCols]} and the shape of op(matrix). */
    private static final class Operand {
        private final boolean transposed;
        private final int storedCols;
        private final int rows;
        private final int cols;

        Operand(INDArray array, boolean transposed) {
            this.transposed = transposed;
            int storedRows = Math.toIntExact(array.size(1));
            this.storedCols = Math.toIntExact(array.size(2));
            this.rows = transposed ? storedCols : storedRows;
            this.cols = transposed ? storedRows : storedCols;
        }

        int op() {
            return transposed ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        }

        /** Leading dimension of the stored row-major matrix. */
        int ld() {
            return storedCols;
        }

        /** Element offset of matrix i from the array's first element (where its buffer's address points, views included). */
        long start(int i) {
            return (long) i * rows * cols;
        }
    }
}
