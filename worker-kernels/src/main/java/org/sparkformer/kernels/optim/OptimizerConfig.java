package org.sparkformer.kernels.optim;

import org.sparkformer.kernels.config.StrictJson;

/**
 * Optimizer, learning-rate schedule, clipping and accumulation settings. Immutable; validated on construction.
 *
 * @param kind              update rule
 * @param learningRate      peak learning rate, reached at the end of warmup
 * @param beta1             Adam first-moment decay, in [0, 1)
 * @param beta2             Adam second-moment decay, in [0, 1)
 * @param epsilon           Adam denominator term, &gt; 0
 * @param weightDecay       decay coefficient (decoupled for ADAMW, L2 otherwise); never applied to biases or LayerNorm
 * @param warmupSteps       steps of linear warmup from 0 to learningRate
 * @param totalSteps        step at which LINEAR and COSINE decay reach 0; must exceed warmupSteps for them
 * @param decay             schedule after warmup
 * @param clipNorm          global gradient-norm limit; 0 or less turns clipping off
 * @param accumulationSteps microbatches whose gradients are combined into one optimizer step, at least 1
 */
public record OptimizerConfig(OptimizerKind kind, double learningRate, double beta1, double beta2, double epsilon,
                              double weightDecay, int warmupSteps, long totalSteps, Decay decay, double clipNorm,
                              int accumulationSteps) {

    public OptimizerConfig {
        require(kind != null, "kind must be set (ADAMW, ADAM or SGD)");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate " + learningRate + " must be > 0");
        require(beta1 >= 0 && beta1 < 1, "beta1 " + beta1 + " must be in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "beta2 " + beta2 + " must be in [0, 1)");
        require(epsilon > 0, "epsilon " + epsilon + " must be > 0");
        require(weightDecay >= 0, "weightDecay " + weightDecay + " must be >= 0");
        require(warmupSteps >= 0, "warmupSteps " + warmupSteps + " must be >= 0");
        require(decay != null, "decay must be set (CONSTANT, LINEAR or COSINE)");
        require(decay == Decay.CONSTANT || totalSteps > warmupSteps,
                "totalSteps " + totalSteps + " must exceed warmupSteps " + warmupSteps + " for " + decay + " decay");
        require(accumulationSteps >= 1, "accumulationSteps " + accumulationSteps + " must be at least 1");
        require(!Double.isNaN(clipNorm), "clipNorm must be a number");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * AdamW, lr 1e-3, betas 0.9/0.999, eps 1e-8, decay 0.01, no warm-up, linear decay over 10,000 steps, clip 1.0, no
     * accumulation: the driver's training defaults (its configuration tests hold them to conf/default.yaml), with
     * 10,000 standing for the total steps that a run derives from its data.
     */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig(OptimizerKind.ADAMW, 1e-3, 0.9, 0.999, 1e-8, 0.01, 0, 10_000, Decay.LINEAR, 1.0, 1);
    }

    public OptimizerConfig withKind(OptimizerKind newKind) {
        return toBuilder().kind(newKind).build();
    }

    public OptimizerConfig withLearningRate(double lr) {
        return toBuilder().learningRate(lr).build();
    }

    public OptimizerConfig withWeightDecay(double wd) {
        return toBuilder().weightDecay(wd).build();
    }

    public OptimizerConfig withSchedule(int warmup, long total, Decay newDecay) {
        return toBuilder().warmupSteps(warmup).totalSteps(total).decay(newDecay).build();
    }

    public OptimizerConfig withClipNorm(double clip) {
        return toBuilder().clipNorm(clip).build();
    }

    public OptimizerConfig withAccumulationSteps(int steps) {
        return toBuilder().accumulationSteps(steps).build();
    }

    /** A builder holding this configuration's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets any of the fields of a configuration it starts from; {@link #build()} validates. */
    public static final class Builder {
        private OptimizerKind kind;
        private double learningRate;
        private double beta1;
        private double beta2;
        private double epsilon;
        private double weightDecay;
        private int warmupSteps;
        private long totalSteps;
        private Decay decay;
        private double clipNorm;
        private int accumulationSteps;

        private Builder(OptimizerConfig c) {
            kind = c.kind;
            learningRate = c.learningRate;
            beta1 = c.beta1;
            beta2 = c.beta2;
            epsilon = c.epsilon;
            weightDecay = c.weightDecay;
            warmupSteps = c.warmupSteps;
            totalSteps = c.totalSteps;
            decay = c.decay;
            clipNorm = c.clipNorm;
            accumulationSteps = c.accumulationSteps;
        }

        public Builder kind(OptimizerKind value) {
            kind = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder beta1(double value) {
            beta1 = value;
            return this;
        }

        public Builder beta2(double value) {
            beta2 = value;
            return this;
        }

        public Builder epsilon(double value) {
            epsilon = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder warmupSteps(int value) {
            warmupSteps = value;
            return this;
        }

        public Builder totalSteps(long value) {
            totalSteps = value;
            return this;
        }

        public Builder decay(Decay value) {
            decay = value;
            return this;
        }

        public Builder clipNorm(double value) {
            clipNorm = value;
            return this;
        }

        public Builder accumulationSteps(int value) {
            accumulationSteps = value;
            return this;
        }

        public OptimizerConfig build() {
            return new OptimizerConfig(kind, learningRate, beta1, beta2, epsilon, weightDecay, warmupSteps, totalSteps, decay,
                    clipNorm, accumulationSteps);
        }
    }

    public String toJson() {
        return StrictJson.write(this);
    }

    /** Reads JSON written by {@link #toJson()}; missing keys take {@link #defaults()}, unknown keys are rejected. */
    public static OptimizerConfig fromJson(String json) {
        return StrictJson.read(json, defaults(), OptimizerConfig.class);
    }
}
