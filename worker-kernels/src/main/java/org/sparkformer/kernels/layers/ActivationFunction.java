package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.host.FloatExp;
import org.sparkformer.kernels.host.GeluLanes;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;
import org.sparkformer.kernels.host.VectorLanes;

/**
 * Element-wise non-linearity and its derivative. GELU in its sigmoid form {@code x * s} with
 * {@code s = sigmoid(1.702 x)}: the forward pass computes {@code x / (1 + exp(-1.702 x))} in one host pass with
 * {@link FloatExp} (whole vectors at a time where {@link VectorLanes} allows), split over {@link HostThreads}
 * (libnd4j's {@code GELU} op, the same formula, for double arrays and about 4x slower for float ones), so eval-mode
 * passes compute nothing for backward. The backward pass recovers the gate from the forward output,
 * {@code s = out / x} ({@code 1/2} at {@code x = 0}; where it underflows the derivative is negligible), and applies
 * {@code f'(x) = s + 1.702 x s (1 - s)} in one pass over host memory with no exponentials, split over
 * {@link HostThreads}.
 */
public final class ActivationFunction {

    static final double GELU_SCALE = 1.702;
    private static final int CHUNK = 1024;
    /** Values per exponential call in the forward pass: long loops keep {@link FloatExp} near memory speed. */
    private static final int FORWARD_CHUNK = 4096;

    private final Activation kind;

    public ActivationFunction(Activation kind) {
        this.kind = kind;
    }

    /** {@code out = f(pre)}. */
    public void forward(INDArray pre, INDArray out) {
        switch (kind) {
            case GELU -> gelu(pre, out);
            case RELU -> Nd4j.exec(new RectifiedLinear(pre, out, 0.0));
        }
    }

    /** {@code out = x / (1 + exp(-1.702 x))}: a host pass with {@link FloatExp} for float arrays, libnd4j's op otherwise. */
    private static void gelu(INDArray pre, INDArray out) {
        HostArray x = HostArray.of(pre);
        HostArray y = HostArray.of(out);
        if (!x.isFloat() || !y.isFloat()) {
            Nd4j.exec(new GELU(pre, out));
            return;
        }
        int length = x.length();
        float scale = (float) -GELU_SCALE;
        HostThreads.forChunks(length, FORWARD_CHUNK, 4, () -> {
            float[] input = new float[FORWARD_CHUNK];
            float[] gate = new float[FORWARD_CHUNK];
            float[] scratch = new float[FORWARD_CHUNK];
            return (from, n) -> {
                x.readFloats(from, input, n);
                for (int k = 0; k < n; k++) {
                    gate[k] = scale * input[k];
                }
                FloatExp.exp(gate, n, scratch);
                for (int k = 0; k < n; k++) {
                    input[k] = input[k] / (1f + gate[k]);
                }
                y.writeFloats(from, input, n);
            };
        });
    }

    /**
     * {@code values[r, :] = f(values[r, :] + bias)} in place for every row of the contiguous {@code values [M, cols]}:
     * the bias and the non-linearity of a dense layer in one pass after a product written without its bias, for eval
     * passes that keep nothing for backward. Float arrays in host loops a row at a time (rows split over
     * {@link HostThreads}), others with libnd4j ops.
     */
    public void biasForward(INDArray values, INDArray bias) {
        HostArray v = HostArray.of(values);
        HostArray b = HostArray.of(bias);
        int rows = Math.toIntExact(values.rows());
        int cols = Math.toIntExact(values.columns());
        if (b.length() != cols) {
            throw new IllegalArgumentException("bias has " + b.length() + " values for " + cols + " columns");
        }
        if (!v.isFloat() || !b.isFloat()) {
            values.addiRowVector(bias.reshape(1, cols));
            forward(values, values);
            return;
        }
        float[] add = new float[cols];
        b.readFloats(0, add, cols);
        boolean gelu = kind == Activation.GELU;
        float scale = (float) -GELU_SCALE;
        // a row at a time, every loop indexing its arrays alike, so that C2 vectorises them
        HostThreads.forRange(rows, Math.max(1, FORWARD_CHUNK / cols), (first, last) -> {
            float[] input = new float[cols];
            float[] gate = new float[cols];
            float[] scratch = new float[cols];
            for (int r = first; r < last; r++) {
                v.readFloats(r * cols, input, cols);
                for (int k = 0; k < cols; k++) {
                    input[k] += add[k];
                }
                if (gelu) {
                    for (int k = 0; k < cols; k++) {
                        gate[k] = scale * input[k];
                    }
                    FloatExp.exp(gate, cols, scratch);
                    for (int k = 0; k < cols; k++) {
                        input[k] = input[k] / (1f + gate[k]);
                    }
                } else {
                    for (int k = 0; k < cols; k++) {
                        input[k] = Math.max(input[k], 0f);
                    }
                }
                v.writeFloats(r * cols, input, cols);
            }
        });
    }

    /** Turns {@code grad} from dL/d out into dL/d pre in place; {@code pre} and {@code out} are as forward left them. */
    public void backward(INDArray pre, INDArray out, INDArray grad) {
        HostArray g = HostArray.of(grad);
        HostArray x = HostArray.of(kind == Activation.GELU ? pre : out);
        HostArray y = kind == Activation.GELU ? HostArray.of(out) : null;
        int length = g.length();
        if (y != null && g.isFloat() && x.isFloat() && y.isFloat()) {
            geluBackwardFloats(x, y, g, length);
            return;
        }
        HostThreads.forChunks(length, CHUNK, 4, () -> {
            double[] input = new double[CHUNK];
            double[] outputs = new double[CHUNK];
            double[] gradient = new double[CHUNK];
            float[] staging = new float[CHUNK];
            return (from, n) -> {
                g.read(from, gradient, n, staging);
                x.read(from, input, n, staging);
                if (y != null) {
                    y.read(from, outputs, n, staging);
                    for (int k = 0; k < n; k++) {
                        double sk = input[k] != 0 ? outputs[k] / input[k] : 0.5;
                        gradient[k] *= sk + GELU_SCALE * input[k] * sk * (1 - sk);
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        gradient[k] = input[k] > 0 ? gradient[k] : 0;     // input is out = relu(pre)
                    }
                }
                g.write(from, gradient, n, staging);
            };
        });
    }

    /**
     * The GELU backward pass on float arrays: {@code s = out / x}, then {@code s = 1/2} where {@code x = 0}, then
     * {@code g *= s + 1.702 x s (1 - s)}; in vector lanes ({@link GeluLanes}) where they are on, else in loops, the
     * middle one scalar.
     */
    private static void geluBackwardFloats(HostArray x, HostArray y, HostArray g, int length) {
        float scale = (float) GELU_SCALE;
        HostThreads.forChunks(length, FORWARD_CHUNK, 4, () -> {
            float[] input = new float[FORWARD_CHUNK];
            float[] gate = new float[FORWARD_CHUNK];
            float[] gradient = new float[FORWARD_CHUNK];
            return (from, n) -> {
                x.readFloats(from, input, n);
                y.readFloats(from, gate, n);
                g.readFloats(from, gradient, n);
                geluBackwardChunk(input, gate, gradient, n, scale);
                g.writeFloats(from, gradient, n);
            };
        });
    }

    /** One chunk of the GELU backward pass, {@code gate} holding the forward output: in lanes where they are on. */
    static void geluBackwardChunk(float[] input, float[] gate, float[] gradient, int n, float scale) {
        if (!VectorLanes.enabled()) {
            geluBackwardLoops(input, gate, gradient, n, scale);
            return;
        }
        for (int k = GeluLanes.backward(input, gate, gradient, n, scale); k < n; k++) {
            float sk = input[k] == 0f ? 0.5f : gate[k] / input[k];
            gradient[k] *= sk + scale * input[k] * sk * (1f - sk);
        }
    }

    /** {@link #geluBackwardChunk} in scalar loops. */
    static void geluBackwardLoops(float[] input, float[] gate, float[] gradient, int n, float scale) {
        for (int k = 0; k < n; k++) {
            gate[k] = gate[k] / input[k];
        }
        for (int k = 0; k < n; k++) {
            if (input[k] == 0f) {
                gate[k] = 0.5f;
            }
        }
        for (int k = 0; k < n; k++) {
            float sk = gate[k];
            gradient[k] *= sk + scale * input[k] * sk * (1f - sk);
        }
    }
}
