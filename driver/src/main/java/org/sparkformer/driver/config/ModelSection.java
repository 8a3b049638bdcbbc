package org.sparkformer.driver.config;

import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The encoder's shape; keys mirror the worker kernels' Transformer configuration. Every default is in
 * {@code conf/default.yaml}; the presets' shapes are the worker kernels' presets.
 *
 * @param preset           tiny | small | base | custom: fills dModel, layers, heads and dFf before the
 *                         file's own keys
 * @param vocabSize        embedding rows; 0 takes the size of the vocabulary in use
 * @param maxLength        longest sequence, in tokens, the position table covers
 * @param dModel           hidden width
 * @param layers           encoder blocks
 * @param heads            attention heads; must divide dModel
 * @param dFf              feed-forward inner width
 * @param dropout          dropout on embeddings, attention output and feed-forward output
 * @param attentionDropout dropout on attention probabilities
 * @param activation       gelu | relu
 * @param positional       learned | sinusoidal
 * @param norm             pre | post: layer-norm before or after each residual branch
 * @param attention        bidirectional (BERT-style) | causal (GPT-style) self-attention
 * @param pooling          cls | mean: how a sequence head summarises the tokens
 * @param tieEmbeddings    share input embeddings with the masked-LM output projection
 * @param initStd          standard deviation of the initial weight matrices and embeddings; 0 takes
 *                         {@code sqrt(2 / (5 dModel))}
 * @param seed             seed of the initial weights
 * @param embeddingNorm    input embedding LN(token + position) as in BERT instead of sqrt(dModel) * token + position
 * @param wordPooling      first | mean: a token task's word vector is its first sub-token's state or the mean of all
 *                         its sub-tokens' states
 * @param convolution      width of a depthwise convolution over neighbouring tokens beside attention in every block;
 *                         0 = none
 */
public record ModelSection(String preset, int vocabSize, int maxLength, int dModel, int layers, int heads, int dFf,
                           double dropout, double attentionDropout, Activation activation, PositionalEncoding positional,
                           NormPlacement norm, AttentionMode attention, Pooling pooling, boolean tieEmbeddings,
                           double initStd, long seed, boolean embeddingNorm,
                           WordPooling wordPooling, int convolution) {

    /** dModel, layers, heads, dFf of each named preset, smallest first. */
    public static final Map<String, Map<String, Integer>> PRESET_SHAPES = namedShapes();

    /** The named presets and "custom", the shape given key by key. */
    public static final Set<String> PRESETS = presets();

    public ModelSection {
        Checks.oneOf("model.preset", preset, PRESETS);
        Checks.nonNegative("model.vocabSize", vocabSize);
        Checks.positive("model.maxLength", maxLength);
        Checks.positive("model.dModel", dModel);
        Checks.positive("model.layers", layers);
        Checks.positive("model.heads", heads);
        Checks.positive("model.dFf", dFf);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("model.dModel " + dModel + " is not divisible by model.heads " + heads);
        }
        Checks.fraction("model.dropout", dropout);
        Checks.fraction("model.attentionDropout", attentionDropout);
        Checks.present("model.activation", activation);
        Checks.present("model.positional", positional);
        Checks.present("model.norm", norm);
        Checks.present("model.attention", attention);
        Checks.present("model.pooling", pooling);
        Checks.present("model.wordPooling", wordPooling);
        Checks.nonNegative("model.initStd", initStd);
        if (convolution < 0 || convolution > TransformerConfig.MAX_CONVOLUTION) {
            throw new IllegalArgumentException("model.convolution " + convolution + " must be 0 (none) to "
                    + TransformerConfig.MAX_CONVOLUTION);
        }
    }

    private static Map<String, Map<String, Integer>> namedShapes() {
        Map<String, Map<String, Integer>> shapes = new LinkedHashMap<>();
        shapes.put("tiny", shapeOf(TransformerConfig.tiny(2)));
        shapes.put("small", shapeOf(TransformerConfig.small(2)));
        shapes.put("base", shapeOf(TransformerConfig.base(2)));
        return Collections.unmodifiableMap(shapes);
    }

    private static Set<String> presets() {
        Set<String> names = new LinkedHashSet<>(PRESET_SHAPES.keySet());
        names.add("custom");
        return Collections.unmodifiableSet(names);
    }

    /** dModel, layers, heads and dFf of one of the worker kernels' presets. */
    private static Map<String, Integer> shapeOf(TransformerConfig c) {
        return Map.of("dModel", c.dModel(), "layers", c.layers(), "heads", c.heads(), "dFf", c.dFf());
    }

    /** The initialisation's standard deviation: initStd, or the width-derived default when it is 0. */
    public double effectiveInitStd() {
        return initStd > 0 ? initStd : TransformerConfig.defaultInitStd(dModel);
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }
}
