package org.sparkformer.driver.bench;

import org.sparkformer.kernels.config.TransformerConfig;

import java.util.Locale;

/**
 * A model shape to measure: masked-LM Transformer of the kernels with vocabulary 8000, trained with AdamW on
 * {@code batch} sequences of {@code seqLen} tokens.
 *
 * @param name   reference, small or large
 * @param model  the kernels configuration
 * @param batch  sequences per minibatch
 * @param seqLen tokens per sequence (the model's maximum length)
 */
public record BenchPreset(String name, TransformerConfig model, int batch, int seqLen) {

    public static final int VOCAB = 8000;

    public BenchPreset {
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " must be at least 1");
        }
        if (seqLen < 1 || seqLen > model.maxLength()) {
            throw new IllegalArgumentException("seqLen " + seqLen + " must be in [1, maxLength " + model.maxLength() + "]");
        }
    }

    /** reference = {@code TransformerConfig.base(8000)}, small = {@code small(8000)}, both batch 32; large = d512, 6 layers, 8 heads, d_ff 2048, batch 16. */
    public static BenchPreset named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "reference" -> of("reference", TransformerConfig.base(VOCAB), 32);
            case "small" -> of("small", TransformerConfig.small(VOCAB), 32);
            case "large" -> {
                TransformerConfig base = TransformerConfig.base(VOCAB);
                TransformerConfig large = new TransformerConfig(VOCAB, base.maxLength(), 512, 6, 8, 2048, base.dropout(),
                        base.attentionDropout(), base.activation(), base.positional(), base.norm(), base.attention(),
                        base.task(), base.numLabels(), base.pooling(), base.tieEmbeddings(),
                        TransformerConfig.defaultInitStd(512), base.seed());
                yield of("large", large, 16);
            }
            default -> throw new IllegalArgumentException("unknown config '" + name + "': use reference, small or large");
        };
    }

    private static BenchPreset of(String name, TransformerConfig model, int batch) {
        return new BenchPreset(name, model, batch, model.maxLength());
    }

    public int tokensPerBatch() {
        return batch * seqLen;
    }

    public String describe() {
        return String.format("%s: vocab %d, d_model %d, %d layers, %d heads, d_ff %d, seq %d, batch %d, masked-LM, AdamW",
                name, model.vocabSize(), model.dModel(), model.layers(), model.heads(), model.dFf(), seqLen, batch);
    }
}
