package org.sparkformer.dl4j.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.dl4j.layers.FinalNormLayer;
import org.sparkformer.dl4j.layers.KernelLayer;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.LayerNorm;
import org.sparkformer.kernels.layers.ParameterSet;

/**
 * The LayerNorm after the last block of a pre-LN model: {@code [rows, T, d]} in and out. Parameters
 * {@code final_ln.gamma}, {@code final_ln.beta}.
 */
public final class TransformerFinalNorm extends KernelLayerConf {

    /** For DL4J's JSON and clone. */
    public TransformerFinalNorm() {
    }

    public TransformerFinalNorm(TransformerConfig cfg, String name) {
        super(cfg, name);
        if (cfg.norm() != NormPlacement.PRE) {
            throw new IllegalArgumentException("a " + cfg.norm() + "-LN model has no final LayerNorm (only PRE has one)");
        }
    }

    /** The kernel layer, declaring its parameters on {@code params}. */
    public LayerNorm build(ParameterSet params) {
        return new LayerNorm(params, "final_ln", dModel());
    }

    @Override
    public String parameterPrefix() {
        return "final_ln.";
    }

    @Override
    public void declare(ParameterSet params) {
        build(params);
    }

    @Override
    protected KernelLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new FinalNormLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireSequence(inputType, dModel());
        return inputType;
    }
}
