package org.sparkformer.driver.training;

import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.executor.TransformerPartitionTrainer;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.optim.OptimizerConfig;

/**
 * Everything fixed for one distributed training run.
 *
 * @param model                 the Transformer (task and head included)
 * @param optimizer             optimizer and schedule (its total steps match {@code schedule})
 * @param schedule              steps per averaging round
 * @param batches               how partitions become minibatches
 * @param vocabulary            the vocabulary (masked-LM corruption draws from it)
 * @param freeze                parts kept fixed
 * @param epochs                passes over each partition
 * @param jobSeed               seed every random choice derives from
 * @param averageOptimizerState average optimizer moments across workers (false: fresh each round)
 */
public record TrainingRun(TransformerConfig model, OptimizerConfig optimizer, RoundSchedule schedule, BatchConfig batches,
                          Vocabulary vocabulary, FreezeSpec freeze, int epochs, long jobSeed,
                          boolean averageOptimizerState) {

    /** The task-side trainer for round {@code round}. */
    public TransformerPartitionTrainer partitionTrainer(int round) {
        return new TransformerPartitionTrainer(model, optimizer, freeze, batches, vocabulary, jobSeed,
                schedule.stepsBefore(round), schedule.stepsIn(round), epochs, averageOptimizerState);
    }

    /**
     * Optimizer steps per worker that cover {@code epochs} passes over the largest partition.
     *
     * @param maxBatchesPerEpoch minibatches per epoch of the largest partition
     */
    public static long totalSteps(int maxBatchesPerEpoch, int epochs, int accumulationSteps) {
        long batches = (long) maxBatchesPerEpoch * epochs;
        return (batches + accumulationSteps - 1) / accumulationSteps;
    }
}
