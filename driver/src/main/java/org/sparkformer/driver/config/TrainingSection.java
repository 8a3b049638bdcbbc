package org.sparkformer.driver.config;

import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerKind;

/**
 * How training runs: the optimizer, its schedule, and the parameter-averaging rounds. Every default is
 * in {@code conf/default.yaml}.
 *
 * @param optimizer             adamw | adam | sgd
 * @param lr                    peak learning rate
 * @param beta1                 first-moment decay of adam/adamw
 * @param beta2                 second-moment decay of adam/adamw
 * @param epsilon               adam/adamw denominator term
 * @param weightDecay           decoupled weight decay for adamw, L2 for the others
 * @param wordDropout           fine-tuning: probability of replacing each training word by [MASK], drawn every epoch
 * @param warmupSteps           linear warm-up steps from 0 to lr
 * @param decay                 linear | cosine | constant: schedule after warm-up
 * @param clipNorm              global gradient-norm clip; 0 turns clipping off
 * @param accumulationSteps     minibatches whose gradients are summed per optimizer step
 * @param batchSize             examples per minibatch on each worker
 * @param epochs                passes over the training data
 * @param workers               data partitions trained in parallel, one per task
 * @param averagingFrequency    K: optimizer steps each worker takes between averaging rounds
 * @param averagingWarmupRounds W: the first W rounds average after every step before switching to K
 * @param averageOptimizerState average optimizer moments as well as parameters
 * @param checkpointEvery       rounds between checkpoints; 0 turns checkpoints off
 * @param keepLastCheckpoints   newest checkpoints kept, besides the best one
 * @param earlyStoppingPatience evaluations without validation improvement before stopping; 0 is off
 * @param freezeEmbeddings      keep the embedding tables fixed while fine-tuning
 * @param freezeLayers          keep the lowest N encoder blocks fixed while fine-tuning
 * @param seed                  job seed from which every random choice derives
 * @param pruning               gradual magnitude pruning during training
 * @param stragglerFactor       a round's task that runs longer than this many times the median of its finished
 *                              tasks (once half have finished) is killed and relaunched once; 0 is off
 * @param stragglerMinSeconds   a task is never relaunched as a straggler before it has run this long
 */
public record TrainingSection(OptimizerKind optimizer, double lr, double beta1, double beta2, double epsilon,
                              double weightDecay, double wordDropout, int warmupSteps, Decay decay, double clipNorm, int accumulationSteps,
                              int batchSize, int epochs, int workers, int averagingFrequency, int averagingWarmupRounds,
                              boolean averageOptimizerState, int checkpointEvery, int keepLastCheckpoints,
                              int earlyStoppingPatience, boolean freezeEmbeddings, int freezeLayers, long seed,
                              Pruning pruning, double stragglerFactor, int stragglerMinSeconds) {

    public TrainingSection {
        Checks.present("training.optimizer", optimizer);
        Checks.positive("training.lr", lr);
        Checks.fraction("training.beta1", beta1);
        Checks.fraction("training.beta2", beta2);
        Checks.positive("training.epsilon", epsilon);
        Checks.nonNegative("training.weightDecay", weightDecay);
        Checks.fraction("training.wordDropout", wordDropout);
        Checks.nonNegative("training.warmupSteps", warmupSteps);
        Checks.present("training.decay", decay);
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
        Checks.present("training.pruning", pruning);
        Checks.nonNegative("training.stragglerFactor", stragglerFactor);
        if (stragglerFactor > 0 && stragglerFactor < 1) {
            throw new IllegalArgumentException("training.stragglerFactor must be 0 (off) or at least 1, got "
                    + stragglerFactor);
        }
        Checks.nonNegative("training.stragglerMinSeconds", stragglerMinSeconds);
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
