package org.sparkformer.dl4j.conf;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.layers.ParameterSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a {@link KernelLayerConf}: the ones its kernel layers declare, in their order, under the keys
 * {@link KernelLayerConf#keyOf} gives them, as c-order views
 * of the layer's slice of the network's flat parameter (and gradient) array, the layout of the model's own flat
 * buffer. Fresh parameters are drawn as {@link org.sparkformer.kernels.model.TransformerModel} draws them, from the
 * model configuration's seed and each parameter's name, so a new graph starts where a new model would.
 */
public final class KernelParamInitializer implements ParamInitializer {

    public static final KernelParamInitializer INSTANCE = new KernelParamInitializer();

    private KernelParamInitializer() {
    }

    private static KernelLayerConf conf(Layer layer) {
        if (!(layer instanceof KernelLayerConf k)) {
            throw new IllegalArgumentException("not a Sparkformer layer: " + layer);
        }
        return k;
    }

    private static List<Parameter> parameters(Layer layer) {
        return conf(layer).declaredParameters(DataType.FLOAT).all();
    }

    private static List<String> keys(Layer layer, java.util.function.Predicate<Parameter> which) {
        KernelLayerConf conf = conf(layer);
        return parameters(layer).stream().filter(which).map(p -> conf.keyOf(p.name())).toList();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return conf(layer).declaredParameters(DataType.FLOAT).size();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return keys(layer, p -> true);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return keys(layer, Parameter::decayed);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return keys(layer, p -> !p.decayed());
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        KernelLayerConf layer = conf(conf.getLayer());
        TransformerConfig cfg = layer.transformerConfig();
        ParameterSet params = layer.declaredParameters(paramsView.dataType());
        params.bindValues(paramsView, initializeParams, cfg.seed(), cfg.initStd());
        Map<String, INDArray> views = new LinkedHashMap<>();
        params.all().forEach(p -> views.put(layer.keyOf(p.name()), p.value()));
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        KernelLayerConf layer = conf(conf.getLayer());
        ParameterSet params = layer.declaredParameters(gradientView.dataType());
        params.bindGradients(gradientView);
        Map<String, INDArray> views = new LinkedHashMap<>();
        params.all().forEach(p -> views.put(layer.keyOf(p.name()), p.grad()));
        return views;
    }
}
