package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.dl4j.conf.TransformerFinalNorm;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.LayerNorm;

/** Runs {@link TransformerFinalNorm}: the {@link LayerNorm} of every position of {@code [rows, T, d]}. */
public final class FinalNormLayer extends KernelLayer<TransformerFinalNorm> {

    private final LayerNorm norm;

    public FinalNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.norm = layerConf().build(kernelParams);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireSequence(input, cfg.dModel());
        BatchContext c;
        INDArray out;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            c = newContext(Math.toIntExact(input.size(0)), Math.toIntExact(input.size(1)), training);
            INDArray x = copyIn(input, "layer.in", c);
            out = c.ws().array("layer.out", c.positions(), cfg.dModel());
            norm.forward(x, out, c.ws(), training);
        }
        return toSequence(out, c, workspaceMgr, ArrayType.ACTIVATIONS);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        BatchContext c = forwardContext();
        INDArray dx;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            zeroGradients();
            INDArray dOut = copyIn(requireSequence(epsilon, cfg.dModel()), "layer.dout", c);
            dx = c.ws().array("layer.din", c.positions(), cfg.dModel());
            norm.backward(dOut, dx, false, c.ws());
        }
        return new Pair<>(collectGradient(), toSequence(dx, c, workspaceMgr, ArrayType.ACTIVATION_GRAD));
    }
}
