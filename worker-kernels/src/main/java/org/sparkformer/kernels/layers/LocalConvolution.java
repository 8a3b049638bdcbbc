package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.host.ColumnSums;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;

/**
 * A depthwise convolution over neighbouring positions, run beside attention in a block:
 * {@code y[b, t] += bias + sum_j w[j] * x[b, t + offset(j)]} (element-wise over the d channels), where a neighbour
 * outside the row or on padding reads as zero. Bidirectional models see the {@code width} positions centred on t
 * (offsets {@code -width/2 .. width/2}); causal models the {@code width} positions ending at t, so no position sees
 * a later one. Attention has to learn word order from position embeddings; this branch has it built in, which is
 * what a tagger trained from little data lacks most. Parameters {@code <name>.weight [width, d]} and
 * {@code <name>.bias [d]}.
 */
public final class LocalConvolution {

    private final int dModel;
    private final int width;
    private final int firstOffset;
    private final Parameter weight;
    private final Parameter bias;

    /** {@code width} neighbours, centred on each position, or ending at it when {@code causal}. */
    public LocalConvolution(ParameterSet params, String name, int dModel, int width, boolean causal) {
        if (width < 1) {
            throw new IllegalArgumentException("convolution width " + width + " must be at least 1");
        }
        this.dModel = dModel;
        this.width = width;
        this.firstOffset = causal ? -(width - 1) : -(width / 2);
        this.weight = params.declare(name + ".weight", Parameter.Init.NORMAL, true, width, dModel);
        this.bias = params.declare(name + ".bias", Parameter.Init.ZEROS, false, dModel);
    }

    /** Position {@code t + offset(j)} of row {@code row}, or -1 when it is outside the row or padding. */
    private static int neighbour(int t, int offset, int seqLen, int rowStart, int[] mask) {
        int p = t + offset;
        if (p < 0 || p >= seqLen || (mask != null && mask[rowStart + p] == 0)) {
            return -1;
        }
        return rowStart + p;
    }

    /** Adds {@code conv(x)} to {@code y}; both {@code [N, d]}, N = rows * seqLen. */
    public void addForward(INDArray x, INDArray y, BatchContext c) {
        HostArray in = HostArray.of(x);
        HostArray out = HostArray.of(y);
        double[][] w = rows(weight.value(), width);
        double[] b = rows(bias.value(), 1)[0];
        int seqLen = c.seqLen();
        int[] mask = c.tokenMask();
        HostThreads.forRange(c.positions(), 64, (first, last) -> {
            double[] acc = new double[dModel];
            double[] row = new double[dModel];
            float[] staging = new float[dModel];
            for (int n = first; n < last; n++) {
                int rowStart = n - n % seqLen;
                out.read(n * dModel, acc, dModel, staging);
                for (int k = 0; k < dModel; k++) {
                    acc[k] += b[k];
                }
                for (int j = 0; j < width; j++) {
                    int p = neighbour(n % seqLen, firstOffset + j, seqLen, rowStart, mask);
                    if (p < 0) {
                        continue;
                    }
                    in.read(p * dModel, row, dModel, staging);
                    addProduct(acc, w[j], row);
                }
                out.write(n * dModel, acc, dModel, staging);
            }
        });
    }

    /**
     * {@link #addForward} for eval passes over float arrays, accumulated in float: the same sums to float rounding,
     * without widening every row to double and back. Other arrays take {@link #addForward}.
     */
    public void inferAdd(INDArray x, INDArray y, BatchContext c) {
        HostArray in = HostArray.of(x);
        HostArray out = HostArray.of(y);
        HostArray weights = HostArray.of(weight.value());
        HostArray biases = HostArray.of(bias.value());
        if (!(in.isFloat() && out.isFloat() && weights.isFloat() && biases.isFloat())) {
            addForward(x, y, c);
            return;
        }
        float[][] w = new float[width][dModel];
        float[] b = new float[dModel];
        for (int j = 0; j < width; j++) {
            weights.readFloats(j * dModel, w[j], dModel);
        }
        biases.readFloats(0, b, dModel);
        int seqLen = c.seqLen();
        int[] mask = c.tokenMask();
        HostThreads.forRange(c.positions(), 64, (first, last) -> {
            float[] acc = new float[dModel];
            float[] row = new float[dModel];
            for (int n = first; n < last; n++) {
                int rowStart = n - n % seqLen;
                out.readFloats(n * dModel, acc, dModel);
                for (int k = 0; k < dModel; k++) {
                    acc[k] += b[k];
                }
                for (int j = 0; j < width; j++) {
                    int p = neighbour(n % seqLen, firstOffset + j, seqLen, rowStart, mask);
                    if (p < 0) {
                        continue;
                    }
                    in.readFloats(p * dModel, row, dModel);
                    float[] wj = w[j];
                    for (int k = 0; k < dModel; k++) {
                        acc[k] += wj[k] * row[k];
                    }
                }
                out.writeFloats(n * dModel, acc, dModel);
            }
        });
    }

    /**
     * Adds the parameter gradients for upstream {@code dy [N, d]} and input {@code x}, and adds the input gradient to
     * {@code dx}. {@code dy} is left as it was.
     */
    public void backward(INDArray x, INDArray dy, INDArray dx, BatchContext c) {
        ColumnSums.addTo(dy, bias.grad());
        HostArray in = HostArray.of(x);
        HostArray up = HostArray.of(dy);
        HostArray down = HostArray.of(dx);
        double[][] w = rows(weight.value(), width);
        int seqLen = c.seqLen();
        int[] mask = c.tokenMask();
        // dx[p] += sum_j w[j] * dy[p - offset(j)], over the positions p - offset(j) whose neighbour j is p
        HostThreads.forRange(c.positions(), 64, (first, last) -> {
            double[] acc = new double[dModel];
            double[] row = new double[dModel];
            float[] staging = new float[dModel];
            for (int p = first; p < last; p++) {
                int rowStart = p - p % seqLen;
                if (mask != null && mask[p] == 0) {
                    continue;
                }
                down.read(p * dModel, acc, dModel, staging);
                for (int j = 0; j < width; j++) {
                    int t = p % seqLen - (firstOffset + j);
                    if (t < 0 || t >= seqLen) {
                        continue;
                    }
                    up.read((rowStart + t) * dModel, row, dModel, staging);
                    addProduct(acc, w[j], row);
                }
                down.write(p * dModel, acc, dModel, staging);
            }
        });
        // dw[j] = sum_t dy[t] * x[t + offset(j)]: every channel block sums its positions in order, in double, so
        // the split over threads does not change a bit of it
        double[][] dw = new double[width][dModel];
        HostThreads.forRange(dModel, 16, (firstChannel, lastChannel) -> {
            int n = lastChannel - firstChannel;
            double[] upRow = new double[n];
            double[] inRow = new double[n];
            float[] staging = new float[n];
            for (int t = 0; t < c.positions(); t++) {
                int rowStart = t - t % seqLen;
                up.read(t * dModel + firstChannel, upRow, n, staging);
                for (int j = 0; j < width; j++) {
                    int p = neighbour(t % seqLen, firstOffset + j, seqLen, rowStart, mask);
                    if (p < 0) {
                        continue;
                    }
                    in.read(p * dModel + firstChannel, inRow, n, staging);
                    double[] sum = dw[j];
                    for (int k = 0; k < n; k++) {
                        sum[firstChannel + k] += upRow[k] * inRow[k];
                    }
                }
            }
        });
        HostArray grad = HostArray.of(weight.grad());
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < dModel; k++) {
                grad.set(j * dModel + k, grad.get(j * dModel + k) + dw[j][k]);
            }
        }
    }

    /** {@code acc += a * b}, element-wise over the d channels. */
    private void addProduct(double[] acc, double[] a, double[] b) {
        for (int k = 0; k < dModel; k++) {
            acc[k] += a[k] * b[k];
        }
    }

    /** The values of a {@code [count, d]} (or {@code [d]}) parameter as rows of doubles. */
    private double[][] rows(INDArray value, int count) {
        HostArray a = HostArray.of(value);
        double[][] r = new double[count][dModel];
        float[] staging = new float[dModel];
        for (int j = 0; j < count; j++) {
            a.read(j * dModel, r[j], dModel, staging);
        }
        return r;
    }
}
