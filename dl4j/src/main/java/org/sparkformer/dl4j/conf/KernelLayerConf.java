package org.sparkformer.dl4j.conf;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.sparkformer.dl4j.layers.KernelLayer;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.layers.ParameterSet;

import java.util.Collection;
import java.util.List;

/**
 * What every layer configuration of this package shares: the model configuration it is a part of (kept as the JSON
 * of {@link TransformerConfig#toJson()}, so a DL4J configuration round-trips through DL4J's own JSON), its
 * parameters (declared by the worker kernels' own layer classes, named as the {@link
 * org.sparkformer.kernels.model.TransformerModel} names them) and the DL4J plumbing around them. Weight decay and the
 * updater follow DL4J's per-layer settings: the parameters the model decays ({@link Parameter#decayed()}) are DL4J
 * weights, the others DL4J biases.
 *
 * <p>Activations between the layers are NWC sequences {@code [rows, T, d]} ({@link RNNFormat#NWC}), whose c-order
 * memory is the kernels' {@code [N, d]}; padding travels as DL4J's feature mask {@code [rows, T]}.
 */
public abstract class KernelLayerConf extends BaseLayer {

    private String modelConfig;
    private transient TransformerConfig parsed;

    /** For DL4J's JSON and clone. */
    protected KernelLayerConf() {
    }

    protected KernelLayerConf(TransformerConfig cfg, String name) {
        this.modelConfig = cfg.toJson();
        this.parsed = cfg;
        this.layerName = name;
    }

    /** The configuration of the whole model this layer is a part of. */
    public TransformerConfig transformerConfig() {
        if (parsed == null) {
            parsed = TransformerConfig.fromJson(modelConfig);
        }
        return parsed;
    }

    /** DL4J's JSON reads and writes the model configuration through this pair. */
    public String getModelConfig() {
        return modelConfig;
    }

    public void setModelConfig(String modelConfig) {
        this.modelConfig = modelConfig;
        this.parsed = null;
    }

    /**
     * What the model's names of this layer's parameters start with ({@code "blocks.1."}). DL4J names a parameter
     * {@code <vertex>_<key>} and splits at the last underscore, so a layer's keys are the model's names without this
     * prefix ({@code "ffn.in.weight"}), which hold no underscore.
     */
    public abstract String parameterPrefix();

    /** The DL4J key of the model's parameter {@code modelName}. */
    public String keyOf(String modelName) {
        if (!modelName.startsWith(parameterPrefix()) || modelName.indexOf('_', parameterPrefix().length()) >= 0) {
            throw new IllegalStateException("parameter " + modelName + " of layer " + getLayerName()
                    + " does not start with " + parameterPrefix() + " or has an underscore after it");
        }
        return modelName.substring(parameterPrefix().length());
    }

    /** The model's name of this layer's parameter {@code key}. */
    public String modelNameOf(String key) {
        return parameterPrefix() + key;
    }

    /** Declares this layer's parameters on {@code params} by building the kernel layers it runs. */
    public abstract void declare(ParameterSet params);

    /** This layer's parameters, declared but not allocated. */
    public ParameterSet declaredParameters(DataType dataType) {
        ParameterSet params = new ParameterSet(dataType);
        declare(params);
        return params;
    }

    /** The implementation that runs this configuration, its parameters not yet bound. */
    protected abstract KernelLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        KernelLayer<?> layer = newLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(layer.bindParameters(layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return KernelParamInitializer.INSTANCE;
    }

    /** Equal when DL4J's settings, the class and the model configuration are. */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o)
                && java.util.Objects.equals(modelConfig, ((KernelLayerConf) o).modelConfig);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + java.util.Objects.hashCode(modelConfig);
    }

    /** The width of the hidden states (the size of an NWC input or output). */
    protected int dModel() {
        return transformerConfig().dModel();
    }

    /** Checks that {@code inputType} is an NWC sequence of {@code size} features; returns its length (-1 when unknown). */
    protected long requireSequence(InputType inputType, long size) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r) || r.getSize() != size
                || r.getFormat() != RNNFormat.NWC) {
            throw new IllegalStateException("layer " + getLayerName() + " takes NWC sequences of " + size
                    + " features [rows, T, " + size + "], got input type " + inputType);
        }
        return r.getTimeSeriesLength();
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        getOutputType(-1, inputType);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        boolean decayed = declaredParameters(DataType.FLOAT).get(modelNameOf(paramName)).decayed();
        return decayed ? regularization : regularizationBias;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = declaredParameters(DataType.FLOAT).size();
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(numParams);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(0, 0, 0, outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
