package org.sparkformer.kernels.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Shape and behaviour of a Transformer encoder and its head. Immutable; validated on construction.
 *
 * @param vocabSize        number of token ids (ids are {@code 0 .. vocabSize-1})
 * @param maxLength        longest sequence the model accepts (size of the positional table)
 * @param dModel           width of the hidden states
 * @param layers           number of Transformer blocks
 * @param heads            attention heads per block; must divide dModel
 * @param dFf              inner width of the position-wise feed-forward network
 * @param dropout          drop probability on embeddings, attention output and feed-forward output, in [0, 1)
 * @param attentionDropout drop probability on attention probabilities, in [0, 1)
 * @param activation       feed-forward (and masked-LM transform) non-linearity
 * @param positional       sinusoidal table or learned position embeddings
 * @param norm             pre- or post-LayerNorm blocks
 * @param attention        bidirectional or causal attention
 * @param task             what the head predicts
 * @param numLabels        classes for the classification tasks (at least 2); ignored by the language-model tasks
 * @param pooling          sequence-classification pooling
 * @param tieEmbeddings    language-model decoder reuses the token embedding matrix
 * @param initStd          standard deviation of the normal initialisation of weight matrices and embeddings;
 *                         the presets take {@link #defaultInitStd(int)}
 * @param seed             seed of the parameter initialisation
 * @param embeddingNorm    input embedding {@code LN(E[token] + P[position])} (BERT-style) instead of
 *                         {@code sqrt(d) E[token] + P[position]}; false in the presets and for JSON without the key
 * @param wordPooling      token classification: a word's first sub-token state or the mean of all its sub-token
 *                         states; MEAN in the presets, FIRST for JSON without the key (the models written before it)
 * @param convolution      width of the depthwise convolution over neighbouring positions that runs beside attention
 *                         in every block; 0 (no convolution) for JSON without the key
 * @param discriminatorWeight masked-LM only: weight of the replaced-token-detection loss (ELECTRA, with the encoder
 *                         shared by generator and discriminator) beside the masked-LM loss; 0 (masked LM alone, no
 *                         detection head) for JSON without the key
 * @param headsPerLayer    attention heads kept in each block, each in [1, heads] and of width {@link #headSize()};
 *                         empty (the default, left out of JSON) when every block has {@code heads}
 * @param dFfPerLayer      feed-forward inner width of each block; empty (the default, left out of JSON) when every
 *                         block has {@code dFf}
 */
public record TransformerConfig(int vocabSize, int maxLength, int dModel, int layers, int heads, int dFf,
                                double dropout, double attentionDropout, Activation activation,
                                PositionalEncoding positional, NormPlacement norm, AttentionMode attention,
                                Task task, int numLabels, Pooling pooling, boolean tieEmbeddings, double initStd,
                                long seed, boolean embeddingNorm, WordPooling wordPooling, int convolution,
                                double discriminatorWeight,
                                @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> headsPerLayer,
                                @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> dFfPerLayer) {

    public TransformerConfig {
        require(vocabSize >= 2, "vocabSize " + vocabSize + " must be at least 2");
        require(maxLength >= 1, "maxLength " + maxLength + " must be at least 1");
        require(dModel >= 1, "dModel " + dModel + " must be at least 1");
        require(layers >= 1, "layers " + layers + " must be at least 1");
        require(heads >= 1, "heads " + heads + " must be at least 1");
        require(dModel % heads == 0, "dModel " + dModel + " is not divisible by heads " + heads);
        require(dFf >= 1, "dFf " + dFf + " must be at least 1");
        require(dropout >= 0 && dropout < 1, "dropout " + dropout + " must be in [0, 1)");
        require(attentionDropout >= 0 && attentionDropout < 1, "attentionDropout " + attentionDropout + " must be in [0, 1)");
        require(activation != null, "activation must be set (GELU or RELU)");
        require(positional != null, "positional must be set (SINUSOIDAL or LEARNED)");
        require(norm != null, "norm must be set (PRE or POST)");
        require(attention != null, "attention must be set (BIDIRECTIONAL or CAUSAL)");
        require(task != null, "task must be set (MASKED_LM, CAUSAL_LM, SEQUENCE_CLASSIFICATION or TOKEN_CLASSIFICATION)");
        require(pooling != null, "pooling must be set (CLS or MEAN)");
        require(wordPooling != null, "wordPooling must be set (FIRST or MEAN)");
        require(initStd > 0 && Double.isFinite(initStd), "initStd " + initStd + " must be positive");
        require(convolution >= 0 && convolution <= MAX_CONVOLUTION, "convolution " + convolution + " must be 0 (none) to "
                + MAX_CONVOLUTION);
        require(discriminatorWeight >= 0 && Double.isFinite(discriminatorWeight),
                "discriminatorWeight " + discriminatorWeight + " must be 0 (masked LM alone) or positive");
        require(discriminatorWeight == 0 || task == Task.MASKED_LM,
                "discriminatorWeight " + discriminatorWeight + " needs task MASKED_LM, got " + task);
        require(task != Task.CAUSAL_LM || attention == AttentionMode.CAUSAL,
                "task CAUSAL_LM needs attention CAUSAL, got " + attention);
        require(task.isLanguageModel() || numLabels >= 2,
                "numLabels " + numLabels + " must be at least 2 for task " + task);
        headsPerLayer = headsPerLayer == null ? List.of() : List.copyOf(headsPerLayer);
        dFfPerLayer = dFfPerLayer == null ? List.of() : List.copyOf(dFfPerLayer);
        requirePerLayer(headsPerLayer, "headsPerLayer", layers, 1, heads);
        requirePerLayer(dFfPerLayer, "dFfPerLayer", layers, 1, Integer.MAX_VALUE);
    }

    /** The widest local convolution a block may have. */
    public static final int MAX_CONVOLUTION = 15;

    /** Every block the same shape: {@code heads} heads and feed-forward width {@code dFf}, without a local convolution. */
    public TransformerConfig(int vocabSize, int maxLength, int dModel, int layers, int heads, int dFf, double dropout,
                             double attentionDropout, Activation activation, PositionalEncoding positional,
                             NormPlacement norm, AttentionMode attention, Task task, int numLabels, Pooling pooling,
                             boolean tieEmbeddings, double initStd, long seed, boolean embeddingNorm,
                             WordPooling wordPooling) {
        this(vocabSize, maxLength, dModel, layers, heads, dFf, dropout, attentionDropout, activation, positional, norm,
                attention, task, numLabels, pooling, tieEmbeddings, initStd, seed, embeddingNorm, wordPooling, 0, 0.0,
                List.of(), List.of());
    }

    private static void requirePerLayer(List<Integer> values, String name, int layers, int min, int max) {
        if (values.isEmpty()) {
            return;
        }
        require(values.size() == layers, name + " " + values + " has " + values.size() + " entries for " + layers + " layers");
        for (int i = 0; i < values.size(); i++) {
            int v = values.get(i);
            require(v >= min && v <= max, name + " " + values + ": layer " + i + " has " + v + ", expected "
                    + (max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max));
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The values missing keys take when reading JSON: {@link #base(int)} with vocabulary 8000. */
    public static TransformerConfig defaults() {
        return base(8000);
    }

    // The presets are the models the driver's model.preset gives (learned positions, GELU, pre-norm, dropout 0.1,
    // tied embeddings, a width-3 local convolution, seed 42), apart from tiny's shorter position table; the driver's configuration tests hold
    // them to conf/default.yaml.

    /** d32, 2 layers, 2 heads, dFf 64, maxLength 64: for tests. */
    public static TransformerConfig tiny(int vocabSize) {
        return of(vocabSize, 64, 32, 2, 2, 64);
    }

    /** d128, 2 layers, 4 heads, dFf 512, maxLength 128. */
    public static TransformerConfig small(int vocabSize) {
        return of(vocabSize, 128, 128, 2, 4, 512);
    }

    /** d256, 4 layers, 4 heads, dFf 1024, maxLength 128. */
    public static TransformerConfig base(int vocabSize) {
        return of(vocabSize, 128, 256, 4, 4, 1024);
    }

    private static TransformerConfig of(int vocabSize, int maxLength, int dModel, int layers, int heads, int dFf) {
        return new TransformerConfig(vocabSize, maxLength, dModel, layers, heads, dFf, 0.1, 0.1, Activation.GELU,
                PositionalEncoding.LEARNED, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL, Task.MASKED_LM, 0,
                Pooling.CLS, true, defaultInitStd(dModel), 42L, false, WordPooling.MEAN).withConvolution(PRESET_CONVOLUTION);
    }

    /** The presets' local convolution: every block sees its immediate neighbours beside attention. */
    public static final int PRESET_CONVOLUTION = 3;

    /**
     * {@code sqrt(2 / (5 dModel))}, the "small init" of Nguyen and Salazar (2019): 0.079 for d64, 0.040 for d256,
     * 0.029 for d512. BERT's fixed 0.02 suits its d768; narrower models started at 0.02 sit on the unigram plateau
     * of masked-LM pretraining for thousands of steps.
     */
    public static double defaultInitStd(int dModel) {
        return Math.sqrt(2.0 / (5.0 * dModel));
    }

    /**
     * Same model for another task; CAUSAL_LM also switches attention to CAUSAL, and any task but MASKED_LM drops
     * replaced-token detection. numLabels is ignored for LM tasks.
     */
    public TransformerConfig withTask(Task newTask, int newNumLabels) {
        return toBuilder().task(newTask).numLabels(newTask.isLanguageModel() ? 0 : newNumLabels)
                .discriminatorWeight(newTask == Task.MASKED_LM ? discriminatorWeight : 0.0)
                .attention(newTask == Task.CAUSAL_LM ? AttentionMode.CAUSAL : attention).build();
    }

    public TransformerConfig withVocabSize(int newVocabSize) {
        return toBuilder().vocabSize(newVocabSize).build();
    }

    public TransformerConfig withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public TransformerConfig withMaxLength(int newMaxLength) {
        return toBuilder().maxLength(newMaxLength).build();
    }

    public TransformerConfig withDropout(double newDropout, double newAttentionDropout) {
        return toBuilder().dropout(newDropout).attentionDropout(newAttentionDropout).build();
    }

    public TransformerConfig withArchitecture(Activation newActivation, PositionalEncoding newPositional,
                                              NormPlacement newNorm, AttentionMode newAttention) {
        return toBuilder().activation(newActivation).positional(newPositional).norm(newNorm).attention(newAttention).build();
    }

    public TransformerConfig withPooling(Pooling newPooling) {
        return toBuilder().pooling(newPooling).build();
    }

    public TransformerConfig withInitStd(double newInitStd) {
        return toBuilder().initStd(newInitStd).build();
    }

    public TransformerConfig withTieEmbeddings(boolean tie) {
        return toBuilder().tieEmbeddings(tie).build();
    }

    public TransformerConfig withEmbeddingNorm(boolean newEmbeddingNorm) {
        return toBuilder().embeddingNorm(newEmbeddingNorm).build();
    }

    public TransformerConfig withWordPooling(WordPooling newWordPooling) {
        return toBuilder().wordPooling(newWordPooling).build();
    }

    public TransformerConfig withConvolution(int newConvolution) {
        return toBuilder().convolution(newConvolution).build();
    }

    public TransformerConfig withDiscriminatorWeight(double newDiscriminatorWeight) {
        return toBuilder().discriminatorWeight(newDiscriminatorWeight).build();
    }

    /** Whether masked-LM training also trains a replaced-token-detection head (ELECTRA). */
    public boolean detectsReplacedTokens() {
        return discriminatorWeight > 0;
    }

    /** The same model with {@code perLayerHeads} heads and {@code perLayerDFf} feed-forward widths, block by block. */
    public TransformerConfig withLayerWidths(List<Integer> perLayerHeads, List<Integer> perLayerDFf) {
        return toBuilder().headsPerLayer(perLayerHeads).dFfPerLayer(perLayerDFf).build();
    }

    /** Attention heads of block {@code layer}. */
    public int headsIn(int layer) {
        return headsPerLayer.isEmpty() ? heads : headsPerLayer.get(layer);
    }

    /** Feed-forward inner width of block {@code layer}. */
    public int dFfIn(int layer) {
        return dFfPerLayer.isEmpty() ? dFf : dFfPerLayer.get(layer);
    }

    /** A builder holding this configuration's values, to change some of them: {@code cfg.toBuilder().layers(6).build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets any of the fields of a configuration it starts from; {@link #build()} validates. */
    public static final class Builder {
        private int vocabSize;
        private int maxLength;
        private int dModel;
        private int layers;
        private int heads;
        private int dFf;
        private double dropout;
        private double attentionDropout;
        private Activation activation;
        private PositionalEncoding positional;
        private NormPlacement norm;
        private AttentionMode attention;
        private Task task;
        private int numLabels;
        private Pooling pooling;
        private boolean tieEmbeddings;
        private double initStd;
        private long seed;
        private boolean embeddingNorm;
        private WordPooling wordPooling;
        private int convolution;
        private double discriminatorWeight;
        private List<Integer> headsPerLayer;
        private List<Integer> dFfPerLayer;

        private Builder(TransformerConfig c) {
            vocabSize = c.vocabSize;
            maxLength = c.maxLength;
            dModel = c.dModel;
            layers = c.layers;
            heads = c.heads;
            dFf = c.dFf;
            dropout = c.dropout;
            attentionDropout = c.attentionDropout;
            activation = c.activation;
            positional = c.positional;
            norm = c.norm;
            attention = c.attention;
            task = c.task;
            numLabels = c.numLabels;
            pooling = c.pooling;
            tieEmbeddings = c.tieEmbeddings;
            initStd = c.initStd;
            seed = c.seed;
            embeddingNorm = c.embeddingNorm;
            wordPooling = c.wordPooling;
            convolution = c.convolution;
            discriminatorWeight = c.discriminatorWeight;
            headsPerLayer = c.headsPerLayer;
            dFfPerLayer = c.dFfPerLayer;
        }

        public Builder vocabSize(int value) {
            vocabSize = value;
            return this;
        }

        public Builder maxLength(int value) {
            maxLength = value;
            return this;
        }

        public Builder dModel(int value) {
            dModel = value;
            return this;
        }

        public Builder layers(int value) {
            layers = value;
            return this;
        }

        public Builder heads(int value) {
            heads = value;
            return this;
        }

        public Builder dFf(int value) {
            dFf = value;
            return this;
        }

        public Builder dropout(double value) {
            dropout = value;
            return this;
        }

        public Builder attentionDropout(double value) {
            attentionDropout = value;
            return this;
        }

        public Builder activation(Activation value) {
            activation = value;
            return this;
        }

        public Builder positional(PositionalEncoding value) {
            positional = value;
            return this;
        }

        public Builder norm(NormPlacement value) {
            norm = value;
            return this;
        }

        public Builder attention(AttentionMode value) {
            attention = value;
            return this;
        }

        public Builder task(Task value) {
            task = value;
            return this;
        }

        public Builder numLabels(int value) {
            numLabels = value;
            return this;
        }

        public Builder pooling(Pooling value) {
            pooling = value;
            return this;
        }

        public Builder tieEmbeddings(boolean value) {
            tieEmbeddings = value;
            return this;
        }

        public Builder initStd(double value) {
            initStd = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder embeddingNorm(boolean value) {
            embeddingNorm = value;
            return this;
        }

        public Builder wordPooling(WordPooling value) {
            wordPooling = value;
            return this;
        }

        public Builder convolution(int value) {
            convolution = value;
            return this;
        }

        public Builder discriminatorWeight(double value) {
            discriminatorWeight = value;
            return this;
        }

        public Builder headsPerLayer(List<Integer> value) {
            headsPerLayer = value;
            return this;
        }

        public Builder dFfPerLayer(List<Integer> value) {
            dFfPerLayer = value;
            return this;
        }

        public TransformerConfig build() {
            return new TransformerConfig(vocabSize, maxLength, dModel, layers, heads, dFf, dropout, attentionDropout,
                    activation, positional, norm, attention, task, numLabels, pooling, tieEmbeddings, initStd, seed,
                    embeddingNorm, wordPooling, convolution, discriminatorWeight, headsPerLayer, dFfPerLayer);
        }
    }

    /** Width of one attention head. */
    public int headSize() {
        return dModel / heads;
    }

    /** Size of the head's output per prediction: vocabSize for LM tasks, numLabels otherwise. */
    public int outputSize() {
        return task.isLanguageModel() ? vocabSize : numLabels;
    }

    public String toJson() {
        return StrictJson.write(this);
    }

    /**
     * Reads JSON written by {@link #toJson()}; missing keys take {@link #defaults()}, except the keys added after the
     * first model directories were written, which take what those models were ({@code embeddingNorm} false,
     * {@code wordPooling} FIRST, {@code convolution} 0, {@code discriminatorWeight} 0); unknown keys are rejected.
     */
    public static TransformerConfig fromJson(String json) {
        TransformerConfig missingKeys = defaults().withEmbeddingNorm(false).withWordPooling(WordPooling.FIRST)
                .withConvolution(0).withDiscriminatorWeight(0);
        return StrictJson.read(json, missingKeys, TransformerConfig.class);
    }
}
