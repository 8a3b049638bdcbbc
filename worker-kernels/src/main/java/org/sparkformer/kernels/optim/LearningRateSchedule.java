package org.sparkformer.kernels.optim;

/**
 * Learning rate per 1-based step: linear warmup {@code lr * step / warmupSteps} for {@code step <= warmupSteps},
 * then CONSTANT {@code lr}, LINEAR {@code lr * (1 - p)} or COSINE {@code lr * (1 + cos(pi p)) / 2} with progress
 * {@code p = (step - 1 - warmupSteps) / (totalSteps - warmupSteps)}, clamped to [0, 1].
 */
public final class LearningRateSchedule {

    private final OptimizerConfig config;

    public LearningRateSchedule(OptimizerConfig config) {
        this.config = config;
    }

    public double at(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps are numbered from 1, got " + step);
        }
        double peak = config.learningRate();
        int warmup = config.warmupSteps();
        if (step <= warmup) {
            return peak * step / warmup;
        }
        if (config.decay() == Decay.CONSTANT) {
            return peak;
        }
        double progress = (double) (step - 1 - warmup) / (config.totalSteps() - warmup);
        progress = Math.min(1.0, Math.max(0.0, progress));
        return switch (config.decay()) {
            case LINEAR -> peak * (1 - progress);
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
            case CONSTANT -> peak;
        };
    }
}
