package org.sparkformer.dl4j.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.dl4j.layers.EncoderBlockLayer;
import org.sparkformer.dl4j.layers.KernelLayer;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.ParameterSet;
import org.sparkformer.kernels.layers.TransformerBlock;

/**
 * Encoder block {@code block} of the model: {@code [rows, T, d]} in and out, a {@link TransformerBlock} (attention
 * over the unmasked positions, the local convolution when the model has one, the feed-forward network, the
 * residual dropout). Parameters {@code blocks.<block>.*}.
 */
public final class TransformerEncoderBlock extends KernelLayerConf {

    private int block;

    /** For DL4J's JSON and clone. */
    public TransformerEncoderBlock() {
    }

    public TransformerEncoderBlock(TransformerConfig cfg, int block, String name) {
        super(cfg, name);
        if (block < 0 || block >= cfg.layers()) {
            throw new IllegalArgumentException("block " + block + " is outside the model's " + cfg.layers() + " blocks");
        }
        this.block = block;
    }

    public int getBlock() {
        return block;
    }

    public void setBlock(int block) {
        this.block = block;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && block == ((TransformerEncoderBlock) o).block;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + block;
    }

    /** The kernel layer, declaring its parameters on {@code params}. */
    public TransformerBlock build(ParameterSet params) {
        return new TransformerBlock(params, "blocks." + block, transformerConfig(), block);
    }

    @Override
    public String parameterPrefix() {
        return "blocks." + block + ".";
    }

    @Override
    public void declare(ParameterSet params) {
        build(params);
    }

    @Override
    protected KernelLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new EncoderBlockLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireSequence(inputType, dModel());
        return inputType;
    }
}
