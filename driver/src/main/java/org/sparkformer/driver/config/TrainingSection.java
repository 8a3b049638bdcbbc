package org.sparkformer.driver.config;

import java.util.Set;

/**
 * How training runs: the optimizer, its schedule, and the parameter-averaging rounds.
 *
 * @param optimizer             adamw | adam | sgd (default adamw)
 * @param lr                    peak learning rate (default 1e-3)
 * @param beta1                 first-moment decay of adam/adamw (default 0.9)
 * @param beta2                 second-moment decay of adam/adamw (default 0.999)
 * @param epsilon               adam/adamw denominator term (default 1e-8)
 * @param weightDecay           decoupled weight decay for adamw, L2 for the others (default 0.01)
 * @param warmupSteps           linear warm-up steps from 0 to lr (default 0)
 * @param decay                 linear | cosine | constant: schedule after warm-up (default linear)
 * @param clipNorm              global gradient-norm clip; 0 turns clipping off (default 1.0)
 * @param accumulationSteps     minibatches whose gradients are summed per optimizer step (default 1)
 * @param batchSize             examples per minibatch on each worker (default 32)
 * @param epochs                passes over the training data (default 3)
 * @param workers               data partitions trained in parallel, one per task (default 2)
 * @param averagingFrequency    K: optimizer steps each worker takes between averaging rounds (default 8)
 * @param averagingWarmupRounds W: the first W rounds average after every step before switching to K (default 0)
 * @param averageOptimizerState average optimizer moments as well as parameters (default true)
 * @param checkpointEvery       rounds between checkpoints; 0 turns checkpoints off (default 10)
 * @param keepLastCheckpoints   newest checkpoints kept, besides the best one (default 3)
 * @param earlyStoppingPatience evaluations without validation improvement before stopping; 0 is off (default 0)
 * @param freezeEmbeddings      keep the embedding tables fixed while fine-tuning (default false)
 * @param freezeLayers          keep the lowest N encoder blocks fixed while fine-tuning (default 0)
 * @param seed                  job seed from which every random choice derives (default 1234)
 */
public record TrainingSection(String optimizer, double lr, double beta1, double beta2, double epsilon,
                              double weightDecay, int warmupSteps, String decay, double clipNorm, int accumulationSteps,
                              int batchSize, int epochs, int workers, int averagingFrequency, int averagingWarmupRounds,
                              boolean averageOptimizerState, int checkpointEvery, int keepLastCheckpoints,
                              int earlyStoppingPatience, boolean freezeEmbeddings, int freezeLayers, long seed) {

    public static final Set<String> OPTIMIZERS = Set.of("adamw", "adam", "sgd");
    public static final Set<String> DECAYS = Set.of("linear", "cosine", "constant");

    public TrainingSection {
        Checks.oneOf("training.optimizer", optimizer, OPTIMIZERS);
        Checks.positive("training.lr", lr);
        Checks.fraction("training.beta1", beta1);
        Checks.fraction("training.beta2", beta2);
        Checks.positive("training.epsilon", epsilon);
        Checks.nonNegative("training.weightDecay", weightDecay);
        Checks.nonNegative("training.warmupSteps", warmupSteps);
        Checks.oneOf("training.decay", decay, DECAYS);
        Checks.nonNegative("training.clipNorm", clipNorm);
        Checks.positive("training.accumulationSteps", accumulationSteps);
        Checks.positive("training.batchSize", batchSize);
        Checks.positive("training.epochs", epochs);
        Checks.positive("training.workers", workers);
        Checks.positive("training.averagingFrequency", averagingFrequency);
        Checks.nonNegative("training.averagingWarmupRounds", averagingWarmupRounds);
        Checks.nonNegative("training.checkpointEvery", checkpointEvery);
        Checks.positive("training.keepLastCheckpoints", keepLastCheckpoints);
        Checks.nonNegative("training.earlyStoppingPatience", earlyStoppingPatience);
        Checks.nonNegative("training.freezeLayers", freezeLayers);
    }

    public static TrainingSection defaults() {
        return new TrainingSection("adamw", 1e-3, 0.9, 0.999, 1e-8, 0.01, 0, "linear", 1.0, 1, 32, 3, 2, 8, 0, true,
                10, 3, 0, false, 0, 1234L);
    }

    /** Optimizer steps each worker takes in round {@code round} (0-based): 1 during the warm-up rounds, then K. */
    public int stepsInRound(int round) {
        return round < averagingWarmupRounds ? 1 : averagingFrequency;
    }

    /** Examples one worker consumes per optimizer step. */
    public int examplesPerStepPerWorker() {
        return batchSize * accumulationSteps;
    }

    /** Examples the whole cluster consumes between two averagings once warm-up is over. */
    public long examplesPerRound() {
        return (long) examplesPerStepPerWorker() * workers * averagingFrequency;
    }
}
