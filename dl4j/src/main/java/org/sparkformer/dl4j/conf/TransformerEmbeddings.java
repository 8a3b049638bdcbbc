package org.sparkformer.dl4j.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.dl4j.layers.EmbeddingsLayer;
import org.sparkformer.dl4j.layers.KernelLayer;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.Embeddings;
import org.sparkformer.kernels.layers.ParameterSet;

/**
 * The input of the encoder: token ids {@code [rows, T]} (whole numbers in the network's floating-point type; also
 * {@code [rows, 1, T]}) in, {@code [rows, T, d]} out: {@link Embeddings} and the embedding dropout. Parameters
 * {@code embeddings.*}. Its input gets no gradient.
 */
public final class TransformerEmbeddings extends KernelLayerConf {

    /** For DL4J's JSON and clone. */
    public TransformerEmbeddings() {
    }

    public TransformerEmbeddings(TransformerConfig cfg, String name) {
        super(cfg, name);
    }

    /** The kernel layer, declaring its parameters on {@code params}. */
    public Embeddings build(ParameterSet params) {
        return new Embeddings(params, transformerConfig());
    }

    @Override
    public String parameterPrefix() {
        return "embeddings.";
    }

    @Override
    public void declare(ParameterSet params) {
        build(params);
    }

    @Override
    protected KernelLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new EmbeddingsLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long length;
        if (inputType instanceof InputType.InputTypeFeedForward f) {
            length = f.getSize();
        } else if (inputType instanceof InputType.InputTypeRecurrent r && r.getSize() == 1) {
            length = r.getTimeSeriesLength();
        } else {
            throw new IllegalStateException("layer " + getLayerName() + " takes token ids [rows, T] (feed-forward input "
                    + "type of size T, or a recurrent one of size 1), got input type " + inputType);
        }
        return InputType.recurrent(dModel(), length, RNNFormat.NWC);
    }
}
