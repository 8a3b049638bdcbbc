package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.host.DoubleRows;
import org.sparkformer.kernels.host.FloatRows;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;

/**
 * LayerNorm over the feature dimension: {@code y = (x - mean) / sqrt(var + 1e-5) * gamma + beta}, with the biased
 * variance. Parameters {@code <name>.gamma [width]} (init 1) and {@code <name>.beta [width]} (init 0).
 *
 * <p>Forward and backward are one pass per row over the host memory (statistics in double precision), instead of a
 * chain of whole-array ops that each sweep the activations; float arrays stay in float apart from the row sums.
 * Rows are split over {@link HostThreads}; the gamma/beta gradients are summed per block of {@value #BLOCK} rows and
 * the blocks added in order, so results do not depend on the thread count.
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
        forward(input, output, ws, true);
    }

    /**
     * {@code y[M,width] = LN(x[M,width])}; keeps the normalised input and the inverse deviations for backward only
     * when {@code keepForBackward} (an eval-mode pass writes nothing but y).
     */
    public void forward(INDArray input, INDArray output, Workspace ws, boolean keepForBackward) {
        int m = Math.toIntExact(input.rows());
        HostArray in = HostArray.of(input);
        HostArray out = HostArray.of(output);
        HostArray normalised = keepForBackward ? HostArray.of(ws.rows(name + ".xhat", m, width)) : null;
        HostArray inverseDeviation = keepForBackward ? HostArray.of(ws.rows(name + ".rstd", m, 1)) : null;
        if (in.isFloat() && out.isFloat() && (normalised == null || normalised.isFloat())) {
            forwardFloats(in, out, normalised, inverseDeviation, m);
            return;
        }
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
                out.write(at, y, width, staging);
                if (normalised != null) {
                    normalised.write(at, xhat, width, staging);
                    inverseDeviation.set(r, rstd);
                }
            }
        });
    }

    /**
     * The forward pass on float arrays: the row statistics summed in double ({@link FloatRows}), the element-wise
     * work in float loops that C2 vectorises, with no widening of the row to double and back (which cost more than
     * the arithmetic). {@code normalised} and {@code inverseDeviation} are null in eval mode.
     */
    private void forwardFloats(HostArray in, HostArray out, HostArray normalised, HostArray inverseDeviation, int m) {
        float[] g = new float[width];
        float[] b = new float[width];
        HostArray.of(gamma.value()).readFloats(0, g, width);
        HostArray.of(beta.value()).readFloats(0, b, width);
        HostThreads.forRange(m, 16, (first, last) -> {
            float[] x = new float[width];
            float[] y = new float[width];
            for (int r = first; r < last; r++) {
                int at = r * width;
                in.readFloats(at, x, width);
                float mean = (float) (FloatRows.sum(x, 0, width) / width);
                for (int k = 0; k < width; k++) {
                    x[k] -= mean;                                   // centred
                }
                double rstd = 1.0 / Math.sqrt(FloatRows.dot(x, x, width) / width + EPSILON);
                float scale = (float) rstd;
                for (int k = 0; k < width; k++) {
                    x[k] *= scale;                                  // normalised
                    y[k] = x[k] * g[k] + b[k];
                }
                out.writeFloats(at, y, width);
                if (normalised != null) {
                    normalised.writeFloats(at, x, width);
                    inverseDeviation.set(r, rstd);
                }
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
        int blocks = (m + BLOCK - 1) / BLOCK;
        if (upstream.isFloat() && result.isFloat() && normalised.isFloat() && (base == null || base.isFloat())) {
            backwardFloats(upstream, result, base, normalised, inverseDeviation, m, blocks);
            return;
        }
        double[] gam = read(gamma);
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

    /**
     * The backward pass on float arrays, in float loops that C2 vectorises and row sums in double ({@link FloatRows}):
     * per row {@code g = dy * gamma}, then {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))} (plus the
     * addend). The gamma/beta gradients are summed in float within a block of {@value #BLOCK} rows and the blocks
     * added in double, in block order.
     */
    private void backwardFloats(HostArray upstream, HostArray result, HostArray base, HostArray normalised,
                                HostArray inverseDeviation, int m, int blocks) {
        float[] gam = new float[width];
        HostArray.of(gamma.value()).readFloats(0, gam, width);
        double[][] gammaGrads = new double[blocks][width];
        double[][] betaGrads = new double[blocks][width];
        HostThreads.forRange(blocks, 1, (firstBlock, lastBlock) -> {
            float[] d = new float[width];
            float[] g = new float[width];
            float[] xhat = new float[width];
            float[] y = new float[width];
            float[] gammaGrad = new float[width];
            float[] betaGrad = new float[width];
            for (int block = firstBlock; block < lastBlock; block++) {
                java.util.Arrays.fill(gammaGrad, 0f);
                java.util.Arrays.fill(betaGrad, 0f);
                for (int r = block * BLOCK; r < Math.min(m, (block + 1) * BLOCK); r++) {
                    int at = r * width;
                    upstream.readFloats(at, d, width);
                    normalised.readFloats(at, xhat, width);
                    for (int k = 0; k < width; k++) {
                        gammaGrad[k] += d[k] * xhat[k];
                        betaGrad[k] += d[k];
                        g[k] = d[k] * gam[k];
                    }
                    float meanG = (float) (FloatRows.sum(g, 0, width) / width);
                    float meanGx = (float) (FloatRows.dot(g, xhat, width) / width);
                    float rstd = (float) inverseDeviation.get(r);
                    if (base != null) {
                        base.readFloats(at, y, width);
                        for (int k = 0; k < width; k++) {
                            y[k] += rstd * (g[k] - meanG - xhat[k] * meanGx);
                        }
                    } else {
                        for (int k = 0; k < width; k++) {
                            y[k] = rstd * (g[k] - meanG - xhat[k] * meanGx);
                        }
                    }
                    result.writeFloats(at, y, width);
                }
                for (int k = 0; k < width; k++) {
                    gammaGrads[block][k] = gammaGrad[k];
                    betaGrads[block][k] = betaGrad[k];
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
