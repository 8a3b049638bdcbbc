package org.sparkformer.dl4j.conf;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.sparkformer.dl4j.layers.HeadLayer;
import org.sparkformer.dl4j.layers.KernelLayer;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.Head;
import org.sparkformer.kernels.layers.LanguageModelHead;
import org.sparkformer.kernels.layers.ParameterSet;
import org.sparkformer.kernels.layers.SequenceClassificationHead;
import org.sparkformer.kernels.layers.TokenClassificationHead;

/**
 * The model's task head as a DL4J output layer, with the model's loss: {@code [rows, T, d]} in, softmax
 * probabilities out, and the mean cross-entropy over the labelled predictions as the score.
 * <ul>
 *   <li>{@link Task#SEQUENCE_CLASSIFICATION}: {@link SequenceClassificationHead}; output {@code [rows, numLabels]};
 *       labels {@code [rows, 1]}, one class index per row.</li>
 *   <li>{@link Task#TOKEN_CLASSIFICATION}: {@link TokenClassificationHead}; output {@code [rows, T, numLabels]};
 *       labels {@code [rows, T]}, one class index per token.</li>
 *   <li>{@link Task#MASKED_LM}, {@link Task#CAUSAL_LM} with untied embeddings: {@link LanguageModelHead}; output
 *       {@code [rows, T, vocab]}; labels {@code [rows, T]}, the token to predict.</li>
 * </ul>
 * A label of {@value org.sparkformer.kernels.batch.MiniBatch#IGNORE} (or 0 in the label mask) takes no part in the
 * loss. A token classifier whose model pools words ({@code wordPooling MEAN}) takes the word starts from the labelled
 * positions, as the model does; for {@code output(...)} without labels, pass a label mask that is 1 at word starts.
 * Parameters {@code head.*}.
 */
public final class TransformerHead extends KernelLayerConf {

    /** For DL4J's JSON and clone. */
    public TransformerHead() {
    }

    public TransformerHead(TransformerConfig cfg, String name) {
        super(cfg, name);
        if (cfg.task().isLanguageModel() && cfg.tieEmbeddings()) {
            throw new IllegalArgumentException("a " + cfg.task() + " model with tied embeddings decodes with the token "
                    + "embedding matrix of the embeddings layer, which a DL4J layer cannot share: set tieEmbeddings false");
        }
        if (cfg.detectsReplacedTokens()) {
            throw new IllegalArgumentException("discriminatorWeight " + cfg.discriminatorWeight() + ": replaced-token "
                    + "detection (a second pass over corrupted text) has no DL4J layer; set it to 0");
        }
    }

    /** The kernel head, declaring its parameters on {@code params}. */
    public Head build(ParameterSet params) {
        TransformerConfig cfg = transformerConfig();
        return switch (cfg.task()) {
            case SEQUENCE_CLASSIFICATION -> new SequenceClassificationHead(params, cfg);
            case TOKEN_CLASSIFICATION -> new TokenClassificationHead(params, cfg);
            case MASKED_LM, CAUSAL_LM -> new LanguageModelHead(params, cfg, null);
        };
    }

    @Override
    public String parameterPrefix() {
        return "head.";
    }

    @Override
    public void declare(ParameterSet params) {
        build(params);
    }

    /** Classes per prediction: numLabels, or the vocabulary for the language-model heads. */
    public int outputs() {
        TransformerConfig cfg = transformerConfig();
        return cfg.task().isLanguageModel() ? cfg.vocabSize() : cfg.numLabels();
    }

    @Override
    protected KernelLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new HeadLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long length = requireSequence(inputType, dModel());
        return transformerConfig().task() == Task.SEQUENCE_CLASSIFICATION ? InputType.feedForward(outputs())
                : InputType.recurrent(outputs(), length, RNNFormat.NWC);
    }
}
