package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LayerNorm over the feature dimension: {@code y = (x - mean) / sqrt(var + 1e-5) * gamma + beta}, with the biased
 * variance. Parameters {@code <name>.gamma [width]} (init 1) and {@code <name>.beta [width]} (init 0).
 *
 * <p>Forward and backward are one pass per row over the host memory (statistics in double precision), instead of a
 * chain of whole-array ops that each sweep the activations. Rows are split over {@link HostThreads}; the
 * gamma/beta gradients are summed per block of {@value #BLOCK} rows and the blocks added in order, so results do
 * not depend on the thread count.
 */
public final class LayerNorm {

    static final double EPSILON = 1e-5;
    private static final int BLOCK = 64;

    private final String name;
    private final int width;
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm(ParameterSet params, String name, int width) {
        this.name = name;
        this.width = width;
        this.gamma = params.declare(name + ".gamma", Parameter.Init.ONES, false, width);
        this.beta = params.declare(name + ".beta", Parameter.Init.ZEROS, false, width);
    }

    private double[] read(Parameter p) {
        double[] out = new double[width];
        HostArray.of(p.value()).read(0, out, width, new float[width]);
        return out;
    }

    /** {@code y[M,width] = LN(x[M,width])}; keeps the normalised input and the inverse deviations for backward. */
    public void forward(INDArray input, INDArray output, Workspace ws) {
        int m = Math.toIntExact(input.rows());
        HostArray in = HostArray.of(input);
        HostArray out = HostArray.of(output);
        HostArray normalised = HostArray.of(ws.rows(name + ".xhat", m, width));
        HostArray inverseDeviation = HostArray.of(ws.rows(name + ".rstd", m, 1));
        double[] g = read(gamma);
        double[] b = read(beta);
        HostThreads.forRange(m, 16, (first, last) -> {
            double[] x = new double[width];
            double[] y = new double[width];
            double[] xhat = new double[width];
            float[] staging = new float[width];
            for (int r = first; r < last; r++) {
                int at = r * width;
                in.read(at, x, width, staging);
                double mean = DoubleRows.sum(x, width) / width;
                for (int k = 0; k < width; k++) {
                    xhat[k] = x[k] - mean;
                }
                double rstd = 1.0 / Math.sqrt(DoubleRows.dot(xhat, xhat, width) / width + EPSILON);
                for (int k = 0; k < width; k++) {
                    xhat[k] *= rstd;
                    y[k] = xhat[k] * g[k] + b[k];
                }
                normalised.write(at, xhat, width, staging);
                out.write(at, y, width, staging);
                inverseDeviation.set(r, rstd);
            }
        });
    }

    /**
     * Adds the gamma/beta gradients for {@code dy[M,width]} and writes {@code dx} (adds to it when {@code accumulate}):
     * {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))} with {@code g = dy * gamma}.
     */
    public void backward(INDArray dy, INDArray dx, boolean accumulate, Workspace ws) {
        backward(dy, dx, accumulate ? dx : null, ws);
    }

    /**
     * As {@link #backward(INDArray, INDArray, boolean, Workspace)}, writing {@code dx = addend + LN'(dy)} (or
     * {@code LN'(dy)} when addend is null); addend may be dx itself, or another gradient that would otherwise be
     * copied into dx first.
     */
    public void backward(INDArray dy, INDArray dx, INDArray addend, Workspace ws) {
        int m = Math.toIntExact(dy.rows());
        HostArray upstream = HostArray.of(dy);
        HostArray result = HostArray.of(dx);
        HostArray base = addend == null ? null : addend == dx ? result : HostArray.of(addend);
        HostArray normalised = HostArray.of(ws.rows(name + ".xhat", m, width));
        HostArray inverseDeviation = HostArray.of(ws.rows(name + ".rstd", m, 1));
        double[] gam = read(gamma);
        int blocks = (m + BLOCK - 1) / BLOCK;
        double[][] gammaGrads = new double[blocks][width];
        double[][] betaGrads = new double[blocks][width];
        HostThreads.forRange(blocks, 1, (firstBlock, lastBlock) -> {
            double[] d = new double[width];
            double[] dg = new double[width];
            double[] y = new double[width];
            double[] xhat = new double[width];
            float[] staging = new float[width];
            for (int block = firstBlock; block < lastBlock; block++) {
                double[] gammaGrad = gammaGrads[block];
                double[] betaGrad = betaGrads[block];
                for (int r = block * BLOCK; r < Math.min(m, (block + 1) * BLOCK); r++) {
                    int at = r * width;
                    upstream.read(at, d, width, staging);
                    normalised.read(at, xhat, width, staging);
                    double sumG = 0;
                    double sumGx = 0;
                    for (int k = 0; k < width; k++) {
                        gammaGrad[k] += d[k] * xhat[k];
                        betaGrad[k] += d[k];
                        double g = d[k] * gam[k];
                        dg[k] = g;
                        sumG += g;
                        sumGx += g * xhat[k];
                    }
                    double meanG = sumG / width;
                    double meanGx = sumGx / width;
                    double rstd = inverseDeviation.get(r);
                    if (base != null) {
                        base.read(at, y, width, staging);
                        for (int k = 0; k < width; k++) {
                            y[k] += rstd * (dg[k] - meanG - xhat[k] * meanGx);
                        }
                    } else {
                        for (int k = 0; k < width; k++) {
                            y[k] = rstd * (dg[k] - meanG - xhat[k] * meanGx);
                        }
                    }
                    result.write(at, y, width, staging);
                }
            }
        });
        addTo(gamma, gammaGrads);
        addTo(beta, betaGrads);
    }

    /** {@code p.grad += Σ_blocks partial[block]}, blocks added in order. */
    private void addTo(Parameter p, double[][] partial) {
        double[] total = new double[width];
        for (double[] block : partial) {
            for (int k = 0; k < width; k++) {
                total[k] += block[k];
            }
        }
        HostArray grad = HostArray.of(p.grad());
        double[] row = new double[width];
        float[] staging = new float[width];
        grad.read(0, row, width, staging);
        for (int k = 0; k < width; k++) {
            row[k] += total[k];
        }
        grad.write(0, row, width, staging);
    }
}
