package org.sparkformer.kernels.host;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three products of a dense layer, written so that BLAS always produces a column-major (f-order) result:
 * activations are c-order {@code [rows, features]}, whose transpose is an f-order {@code [features, rows]} view
 * of the same memory, and weights are c-order {@code [out, in]}. Each method computes {@code C = op + beta * C}.
 */
public final class MatMul {

    private MatMul() {
    }

    /** {@code y[M,out] = x[M,in] · wᵀ}. */
    public static void xWt(INDArray x, INDArray w, INDArray y, double beta) {
        // yᵀ[out,M] = w[out,in] · xᵀ[in,M]
        Nd4j.gemm(w, x.transpose(), y.transpose(), false, false, 1.0, beta);
    }

    /** {@code dx[M,in] = dy[M,out] · w[out,in]}. */
    public static void dyW(INDArray dy, INDArray w, INDArray dx, double beta) {
        // dxᵀ[in,M] = wᵀ[in,out] · dyᵀ[out,M]
        Nd4j.gemm(w, dy.transpose(), dx.transpose(), true, false, 1.0, beta);
    }

    /** {@code dw[out,in] = dy[M,out]ᵀ · x[M,in]}. */
    public static void dyTx(INDArray dy, INDArray x, INDArray dw, double beta) {
        // dwᵀ[in,out] = xᵀ[in,M] · dy[M,out]
        Nd4j.gemm(x.transpose(), dy.transpose(), dw.transpose(), false, true, 1.0, beta);
    }
}
