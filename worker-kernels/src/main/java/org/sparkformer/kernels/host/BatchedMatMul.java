package org.sparkformer.kernels.host;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The batched products of attention, {@code c[i] = alpha * op(a[i]) · op(b[i])} for every matrix i of a batch of
 * row-major matrices ({@link Operands}): the per-head {@code [T, T]} score arrays, and the heads' {@code [T, dh]}
 * blocks read and written in place inside the token-layout activations (so no copy into a per-head layout and back).
 *
 * <p>On the CPU backend: one row-major {@code cblas_?gemm} per matrix, straight on the arrays' host memory — the BLAS
 * that libnd4j's batched {@code Nd4j.matmul} calls per matrix as well, without the op's dispatch and its thread-pool
 * hand-off per matrix, which held the {@code [128, 128, 64]} products of the reference model to about a quarter of
 * the sgemm rate. Other backends multiply views of the same matrices with ND4J ops ({@link #multiplyWithOps}).
 */
public final class BatchedMatMul {

    private static final boolean HOST_BLAS = "CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName());

    private BatchedMatMul() {
    }

    /** {@code c[i] = alpha * op(a[i]) · op(b[i])}, op transposing when asked; c is overwritten. */
    public static void multiply(Operands a, boolean transposeA, Operands b, boolean transposeB, Operands c, double alpha) {
        Shape shape = new Shape(a, transposeA, b, transposeB, c);
        DataType type = c.array.dataType();
        if (!HOST_BLAS || a.array.dataType() != type || b.array.dataType() != type
                || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            multiplyWithOps(a, transposeA, b, transposeB, c, alpha);
            return;
        }
        int opA = transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int opB = transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (type == DataType.FLOAT) {
            FloatPointer pa = new FloatPointer(a.array.data().addressPointer());
            FloatPointer pb = new FloatPointer(b.array.data().addressPointer());
            FloatPointer pc = new FloatPointer(c.array.data().addressPointer());
            for (int i = 0; i < c.count; i++) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, opA, opB, shape.m, shape.n, shape.k,
                        (float) alpha, pa.position(a.start(i)), a.leading, pb.position(b.start(i)), b.leading,
                        0f, pc.position(c.start(i)), c.leading);
            }
        } else {
            DoublePointer pa = new DoublePointer(a.array.data().addressPointer());
            DoublePointer pb = new DoublePointer(b.array.data().addressPointer());
            DoublePointer pc = new DoublePointer(c.array.data().addressPointer());
            for (int i = 0; i < c.count; i++) {
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, opA, opB, shape.m, shape.n, shape.k,
                        alpha, pa.position(a.start(i)), a.leading, pb.position(b.start(i)), b.leading,
                        0.0, pc.position(c.start(i)), c.leading);
            }
        }
    }

    /** The same products as {@link #multiply}, matrix by matrix with ND4J ops on views: any backend, slower. */
    static void multiplyWithOps(Operands a, boolean transposeA, Operands b, boolean transposeB, Operands c, double alpha) {
        new Shape(a, transposeA, b, transposeB, c);
        for (int i = 0; i < c.count; i++) {
            INDArray left = transposeA ? a.matrix(i).transpose() : a.matrix(i);
            INDArray right = transposeB ? b.matrix(i).transpose() : b.matrix(i);
            c.matrix(i).assign(left.mmul(right).muli(alpha));
        }
    }

    /** The sizes of one product, checked against all three operands. */
    private static final class Shape {
        final int m;
        final int n;
        final int k;

        Shape(Operands a, boolean transposeA, Operands b, boolean transposeB, Operands c) {
            m = transposeA ? a.cols : a.rows;
            k = transposeA ? a.rows : a.cols;
            n = transposeB ? b.rows : b.cols;
            int kb = transposeB ? b.cols : b.rows;
            if (a.count != c.count || b.count != c.count || k != kb || c.rows != m || c.cols != n) {
                throw new IllegalArgumentException("batched product of " + a + (transposeA ? "ᵀ" : "") + " and " + b
                        + (transposeB ? "ᵀ" : "") + " does not fit " + c);
            }
        }
    }

    /**
     * A batch of {@code count} row-major {@code [rows, cols]} matrices in one contiguous c-order array, rows
     * {@code leading} elements apart: either the matrices of a {@code [count, rows, cols]} array ({@link #dense}) or
     * the heads of one part of a token-layout array ({@link #heads}).
     */
    public static final class Operands {
        private final INDArray array;
        private final int count;
        private final int rows;
        private final int cols;
        private final int leading;
        /** Heads per batch row; 0 for a dense batch. */
        private final int heads;
        /** First column of head 0 in a token-layout array. */
        private final int column;
        /** Index, among the array's matrices, of this batch's matrix 0 ({@link #slice}). */
        private final int first;

        private Operands(INDArray array, int count, int rows, int cols, int leading, int heads, int column) {
            this(array, count, rows, cols, leading, heads, column, 0);
        }

        private Operands(INDArray array, int count, int rows, int cols, int leading, int heads, int column, int first) {
            if (array.ordering() != 'c' || array.elementWiseStride() != 1) {
                throw new IllegalArgumentException("batched products need a contiguous c-order array, got shape "
                        + java.util.Arrays.toString(array.shape()) + " strides " + java.util.Arrays.toString(array.stride()));
            }
            this.array = array;
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.leading = leading;
            this.heads = heads;
            this.column = column;
            this.first = first;
        }

        /** The matrices of a {@code [count, rows, cols]} array. */
        public static Operands dense(INDArray array) {
            if (array.rank() != 3) {
                throw new IllegalArgumentException("a dense batch needs [count, rows, cols], got " + java.util.Arrays.toString(array.shape()));
            }
            int cols = Math.toIntExact(array.size(2));
            return new Operands(array, Math.toIntExact(array.size(0)), Math.toIntExact(array.size(1)), cols, cols, 0, 0);
        }

        /**
         * The heads of one part of a token-layout array {@code [batchRows*seqLen, width]}: matrix {@code b*heads + h} is
         * the {@code [seqLen, headSize]} block of batch row b's tokens at columns {@code column + h*headSize ..}.
         */
        public static Operands heads(INDArray tokens, int seqLen, int heads, int headSize, int column) {
            if (tokens.rank() != 2 || tokens.rows() % seqLen != 0 || column + (long) heads * headSize > tokens.columns()) {
                throw new IllegalArgumentException(heads + " heads of " + headSize + " from column " + column + " over "
                        + seqLen + " tokens do not fit " + java.util.Arrays.toString(tokens.shape()));
            }
            int batchRows = Math.toIntExact(tokens.rows() / seqLen);
            return new Operands(tokens, batchRows * heads, seqLen, headSize, Math.toIntExact(tokens.columns()), heads, column);
        }

        /**
         * Matrices {@code from .. from+count-1} of this batch as a batch of their own, e.g. the heads of one batch row
         * ({@code slice(row * heads, heads)}).
         */
        public Operands slice(int from, int count) {
            if (from < 0 || count < 1 || from + count > this.count) {
                throw new IllegalArgumentException("matrices " + from + ".." + (from + count - 1) + " are outside " + this);
            }
            return new Operands(array, count, rows, cols, leading, heads, column, first + from);
        }

        /** Element offset of matrix i from the array's first element (where its buffer's address points). */
        long start(int i) {
            int m = first + i;
            if (heads == 0) {
                return (long) m * rows * cols;
            }
            return (long) (m / heads) * rows * leading + column + (long) (m % heads) * cols;
        }

        /** Matrix i as an ND4J view. */
        INDArray matrix(int i) {
            i += first;
            if (heads == 0) {
                return array.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
            }
            long firstRow = (long) (i / heads) * rows;
            long firstColumn = column + (long) (i % heads) * cols;
            return array.get(NDArrayIndex.interval(firstRow, firstRow + rows), NDArrayIndex.interval(firstColumn, firstColumn + cols));
        }

        @Override
        public String toString() {
            return count + " x [" + rows + ", " + cols + "]";
        }
    }
}
