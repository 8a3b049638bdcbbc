package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.dl4j.conf.TransformerEmbeddings;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.Dropout;
import org.sparkformer.kernels.layers.Embeddings;

import java.util.Arrays;

/** Runs {@link TransformerEmbeddings}: token ids in, the embedded sequence (after the embedding dropout) out. */
public final class EmbeddingsLayer extends KernelLayer<TransformerEmbeddings> {

    private final Embeddings embeddings;
    private final Dropout dropout;
    private int[] tokenIds;

    public EmbeddingsLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.embeddings = layerConf().build(kernelParams);
        this.dropout = new Dropout(cfg.dropout());
    }

    private boolean drops(BatchContext c) {
        return c.training() && dropout.active();
    }

    /** The ids of {@code [rows, T]} or {@code [rows, 1, T]}, row-major, each a whole number. */
    private int[] ids(INDArray in, int rows, int seqLen) {
        double[] values = in.reshape('c', rows, seqLen).dup('c').data().asDouble();
        int[] ids = new int[values.length];
        for (int n = 0; n < values.length; n++) {
            if (values[n] != Math.rint(values[n])) {
                throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": token id " + values[n]
                        + " at row " + (n / seqLen) + ", position " + (n % seqLen) + " is not a whole number");
            }
            ids[n] = (int) values[n];
        }
        return ids;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        boolean flat = input.rank() == 2;
        if (!flat && !(input.rank() == 3 && input.size(1) == 1)) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + " takes token ids [rows, T] or "
                    + "[rows, 1, T], got " + Arrays.toString(input.shape()));
        }
        int rows = Math.toIntExact(input.size(0));
        int seqLen = Math.toIntExact(input.size(flat ? 1 : 2));
        BatchContext c;
        INDArray out;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            c = newContext(rows, seqLen, training);
            tokenIds = ids(input, rows, seqLen);
            out = c.ws().array("embeddings.out", c.positions(), cfg.dModel());
            embeddings.forward(tokenIds, out, c);
            if (drops(c)) {
                dropout.apply(out, c.ws().array("embeddings.mask", c.positions(), cfg.dModel()), out,
                        c.seedFor("embeddings", 0));
            }
        }
        return toSequence(out, c, workspaceMgr, ArrayType.ACTIVATIONS);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        BatchContext c = forwardContext();
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            zeroGradients();
            INDArray grad = copyIn(requireSequence(epsilon, cfg.dModel()), "embeddings.dout", c);
            if (drops(c)) {
                Dropout.backward(grad, c.ws().array("embeddings.mask", c.positions(), cfg.dModel()), grad);
            }
            embeddings.backward(tokenIds, grad, c);
        }
        return new Pair<>(collectGradient(), null);
    }
}
