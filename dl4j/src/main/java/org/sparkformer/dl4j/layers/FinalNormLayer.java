package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.dl4j.conf.TransformerFinalNorm;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.LayerNorm;

/** Runs {@link TransformerFinalNorm}: the {@link LayerNorm} of every position of {@code [rows, T, d]}. */
public final class FinalNormLayer extends SequenceKernelLayer<TransformerFinalNorm> {

    private final LayerNorm norm;

    public FinalNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.norm = layerConf().build(kernelParams);
    }

    @Override
    void forward(INDArray x, INDArray out, BatchContext c) {
        norm.forward(x, out, c.ws(), c.training());
    }

    @Override
    void backward(INDArray x, INDArray dOut, INDArray dx, BatchContext c) {
        norm.backward(dOut, dx, false, c.ws());
    }
}
