package org.sparkformer.driver.config;

import org.sparkformer.kernels.config.TransformerConfig;

import java.util.Map;
import java.util.Set;

/**
 * The encoder's shape; keys mirror the worker kernels' Transformer configuration.
 *
 * @param preset           tiny | small | base | custom: fills dModel, layers, heads and dFf before the
 *                         file's own keys (default small)
 * @param vocabSize        embedding rows; 0 takes the size of the vocabulary in use (default 0)
 * @param maxLength        longest sequence, in tokens, the position table covers (default 128)
 * @param dModel           hidden width (default 128, from the small preset)
 * @param layers           encoder blocks (default 2)
 * @param heads            attention heads; must divide dModel (default 4)
 * @param dFf              feed-forward inner width (default 512)
 * @param dropout          dropout on embeddings, attention output and feed-forward output (default 0.1)
 * @param attentionDropout dropout on attention probabilities (default 0.1)
 * @param activation       gelu | relu (default gelu)
 * @param positional       learned | sinusoidal (default learned)
 * @param norm             pre | post: layer-norm before or after each residual branch (default pre)
 * @param attention        bidirectional (BERT-style) | causal (GPT-style) self-attention (default bidirectional)
 * @param pooling          cls | mean: how a sequence head summarises the tokens (default cls)
 * @param tieEmbeddings    share input embeddings with the masked-LM output projection (default true)
 * @param initStd          standard deviation of the initial weight matrices and embeddings; 0 takes
 *                         {@code sqrt(2 / (5 dModel))} (default 0)
 * @param seed             seed of the initial weights (default 42)
 */
public record ModelSection(String preset, int vocabSize, int maxLength, int dModel, int layers, int heads, int dFf,
                           double dropout, double attentionDropout, String activation, String positional, String norm,
                           String attention, String pooling, boolean tieEmbeddings, double initStd, long seed) {

    public static final Set<String> PRESETS = Set.of("tiny", "small", "base", "custom");
    public static final Set<String> ACTIVATIONS = Set.of("gelu", "relu");
    public static final Set<String> POSITIONALS = Set.of("learned", "sinusoidal");
    public static final Set<String> NORMS = Set.of("pre", "post");
    public static final Set<String> ATTENTIONS = Set.of("bidirectional", "causal");
    public static final Set<String> POOLINGS = Set.of("cls", "mean");

    /** dModel, layers, heads, dFf of each named preset. */
    public static final Map<String, Map<String, Integer>> PRESET_SHAPES = Map.of(
            "tiny", shapeOf(TransformerConfig.tiny(2)),
            "small", shapeOf(TransformerConfig.small(2)),
            "base", shapeOf(TransformerConfig.base(2)));

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
        Checks.oneOf("model.activation", activation, ACTIVATIONS);
        Checks.oneOf("model.positional", positional, POSITIONALS);
        Checks.oneOf("model.norm", norm, NORMS);
        Checks.oneOf("model.attention", attention, ATTENTIONS);
        Checks.oneOf("model.pooling", pooling, POOLINGS);
        Checks.nonNegative("model.initStd", initStd);
    }

    public static ModelSection defaults() {
        return new ModelSection("small", 0, 128, 128, 2, 4, 512, 0.1, 0.1, "gelu", "learned", "pre", "bidirectional", "cls", true, 0.0, 42L);
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
