package org.sparkformer.driver.config;

import java.util.List;

/** Figures that follow from a configuration and that people want to see before a run starts. */
public final class DerivedFigures {

    private DerivedFigures() {
    }

    /** Human-readable lines: head width, examples per step and per averaging round. */
    public static List<String> describe(SparkformerConfig c) {
        TrainingSection t = c.training();
        ModelSection m = c.model();
        String schedule = t.averagingWarmupRounds() > 0
                ? "average after every step for the first " + t.averagingWarmupRounds() + " rounds, then every "
                        + t.averagingFrequency() + " steps"
                : "average every " + t.averagingFrequency() + " steps";
        return List.of(
                String.format("model: %s preset, dModel %d, %d layers, %d heads of width %d, dFf %d, maxLength %d",
                        m.preset(), m.dModel(), m.layers(), m.heads(), m.headDim(), m.dFf(), m.maxLength()),
                String.format("per-worker step: %d examples (batch %d x %d accumulation steps)",
                        t.examplesPerStepPerWorker(), t.batchSize(), t.accumulationSteps()),
                String.format("global batch per round: %,d examples (per-worker step %d x %d workers x averaging frequency %d)",
                        t.examplesPerRound(), t.examplesPerStepPerWorker(), t.workers(), t.averagingFrequency()),
                String.format("schedule: %s; %s, lr %s, warm-up %d steps, %s decay",
                        schedule, ConfigSchema.yamlName(t.optimizer()), t.lr(), t.warmupSteps(),
                        ConfigSchema.yamlName(t.decay())));
    }
}
