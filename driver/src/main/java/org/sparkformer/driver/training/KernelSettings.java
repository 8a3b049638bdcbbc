package org.sparkformer.driver.training;

import org.sparkformer.driver.config.ModelSection;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.optim.OptimizerConfig;

/** Turns the run configuration's model and training sections into the worker kernels' configurations. */
public final class KernelSettings {

    private KernelSettings() {
    }

    /**
     * The Transformer for {@code task}.
     *
     * @param vocabSize the vocabulary in use; model.vocabSize, when set, must agree with it
     */
    public static TransformerConfig model(ModelSection m, int vocabSize, Task task, int numLabels) {
        if (m.vocabSize() != 0 && m.vocabSize() != vocabSize) {
            throw new IllegalArgumentException("model.vocabSize " + m.vocabSize() + " does not match the vocabulary in use ("
                    + vocabSize + " tokens): set model.vocabSize to 0 to take the vocabulary's size");
        }
        AttentionMode attention = task == Task.CAUSAL_LM ? AttentionMode.CAUSAL : m.attention();
        return new TransformerConfig(vocabSize, m.maxLength(), m.dModel(), m.layers(), m.heads(), m.dFf(), m.dropout(),
                m.attentionDropout(), m.activation(), m.positional(), m.norm(), attention, task,
                task.isLanguageModel() ? 0 : numLabels, m.pooling(), m.tieEmbeddings(), m.effectiveInitStd(), m.seed(),
                m.embeddingNorm(), m.wordPooling(), m.convolution(), 0.0, java.util.List.of(), java.util.List.of());
    }

    /** The optimizer and its learning-rate schedule over {@code totalSteps} optimizer steps. */
    public static OptimizerConfig optimizer(TrainingSection t, long totalSteps) {
        return new OptimizerConfig(t.optimizer(), t.lr(), t.beta1(), t.beta2(), t.epsilon(), t.weightDecay(),
                t.warmupSteps(), Math.max(1, totalSteps), t.decay(), t.clipNorm(), t.accumulationSteps());
    }
}
