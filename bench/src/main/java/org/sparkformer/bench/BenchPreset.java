package org.sparkformer.bench;

import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.ModelSection;
import org.sparkformer.driver.training.KernelSettings;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;

import java.util.List;
import java.util.Locale;

/**
 * A model shape to measure: the masked-LM Transformer a user's configuration gives, with vocabulary 8000, trained
 * with AdamW on {@code batch} sequences of {@code seqLen} tokens.
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

    /**
     * The models users get from conf/default.yaml: reference = {@code model.preset: base}, small = {@code small}, both
     * batch 32; large = a custom d512, 6 layers, 8 heads, d_ff 2048, batch 16.
     */
    public static BenchPreset named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "reference" -> of("reference", usersModel("model.preset=base"), 32);
            case "small" -> of("small", usersModel("model.preset=small"), 32);
            case "large" -> of("large", usersModel("model.preset=custom", "model.dModel=512", "model.layers=6",
                    "model.heads=8", "model.dFf=2048"), 16);
            default -> throw new IllegalArgumentException("unknown config '" + name + "': use reference, small or large");
        };
    }

    /** The masked-LM model of the default configuration with {@code overrides}, for a vocabulary of 8000. */
    private static TransformerConfig usersModel(String... overrides) {
        ModelSection model = new ConfigLoader().set(List.of(overrides)).build().config().model();
        return KernelSettings.model(model, VOCAB, Task.MASKED_LM, 0);
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
