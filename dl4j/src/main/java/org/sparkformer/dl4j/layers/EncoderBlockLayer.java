package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.dl4j.conf.TransformerEncoderBlock;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.TransformerBlock;

/** Runs {@link TransformerEncoderBlock}: one {@link TransformerBlock} over {@code [rows, T, d]}. */
public final class EncoderBlockLayer extends SequenceKernelLayer<TransformerEncoderBlock> {

    private final TransformerBlock block;

    public EncoderBlockLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.block = layerConf().build(kernelParams);
    }

    @Override
    void forward(INDArray x, INDArray out, BatchContext c) {
        block.forward(x, out, c);
    }

    @Override
    void backward(INDArray x, INDArray dOut, INDArray dx, BatchContext c) {
        block.backward(x, dOut, dx, c);
    }
}
