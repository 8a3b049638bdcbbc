package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.dl4j.conf.KernelLayerConf;
import org.sparkformer.kernels.layers.BatchContext;

/**
 * A kernel layer from hidden states to hidden states, {@code [rows, T, d] -> [rows, T, d]}: the input is copied
 * into the kernels' row layout ({@code "layer.in"}, kept for the backward pass), {@link #forward} fills
 * {@code "layer.out"}, and {@link #backward} turns the upstream gradient into the input's while adding the
 * parameters' gradients.
 */
abstract class SequenceKernelLayer<C extends KernelLayerConf> extends KernelLayer<C> {

    SequenceKernelLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** {@code out[N, d]} from {@code x[N, d]}. */
    abstract void forward(INDArray x, INDArray out, BatchContext c);

    /** {@code dx[N, d]} from {@code dOut[N, d]}; {@code x} is the forward pass's input. */
    abstract void backward(INDArray x, INDArray dOut, INDArray dx, BatchContext c);

    @Override
    public final INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireSequence(input, cfg.dModel());
        BatchContext c;
        INDArray out;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            c = newContext(Math.toIntExact(input.size(0)), Math.toIntExact(input.size(1)), training);
            INDArray x = copyIn(input, "layer.in", c);
            out = c.ws().array("layer.out", c.positions(), cfg.dModel());
            forward(x, out, c);
        }
        return toSequence(out, c, workspaceMgr, ArrayType.ACTIVATIONS);
    }

    @Override
    public final Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        BatchContext c = forwardContext();
        INDArray dx;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            zeroGradients();
            INDArray dOut = copyIn(requireSequence(epsilon, cfg.dModel()), "layer.dout", c);
            dx = c.ws().array("layer.din", c.positions(), cfg.dModel());
            backward(c.ws().array("layer.in", c.positions(), cfg.dModel()), dOut, dx, c);
        }
        return new Pair<>(collectGradient(), toSequence(dx, c, workspaceMgr, ArrayType.ACTIVATION_GRAD));
    }
}
