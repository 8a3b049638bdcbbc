package org.sparkformer.driver.executor;

import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.EpochPlan;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.train.TrainStats;
import org.sparkformer.kernels.train.TrainerState;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * One round of local training on one partition, inside a Spark task. The partition's data cursor
 * follows from the steps already taken: with {@code stepsBefore} optimizer steps of
 * {@code accumulationSteps} minibatches each, the partition resumes at minibatch
 * {@code stepsBefore * accumulationSteps} of its epoch sequence, so neither a resumed run nor a retried
 * task replays or skips data. Masking is seeded by (job seed, partition, epoch), dropout by the round's
 * (job seed, round, partition) seed.
 *
 * <p>Configurations travel as JSON strings, the model is built from them at most once per executor
 * JVM and concurrent task ({@link ExecutorModelCache}).
 */
public final class TransformerPartitionTrainer implements PartitionTrainer<EncodedSequence> {

    private final String modelJson;
    private final String optimizerJson;
    private final FreezeSpec freeze;
    private final BatchConfig batches;
    private final Vocabulary vocabulary;
    private final long jobSeed;
    private final long stepsBefore;
    private final int steps;
    private final int epochs;
    private final boolean keepOptimizerState;

    /**
     * @param stepsBefore        optimizer steps every worker has taken before this round
     * @param steps              optimizer steps to take in this round
     * @param epochs             passes over the partition after which it stops contributing
     * @param keepOptimizerState start from the averaged optimizer state (false: fresh state each round)
     */
    public TransformerPartitionTrainer(TransformerConfig model, OptimizerConfig optimizer, FreezeSpec freeze,
                                       BatchConfig batches, Vocabulary vocabulary, long jobSeed, long stepsBefore,
                                       int steps, int epochs, boolean keepOptimizerState) {
        this.modelJson = model.toJson();
        this.optimizerJson = optimizer.toJson();
        this.freeze = freeze;
        this.batches = batches;
        this.vocabulary = vocabulary;
        this.jobSeed = jobSeed;
        this.stepsBefore = stepsBefore;
        this.steps = steps;
        this.epochs = epochs;
        this.keepOptimizerState = keepOptimizerState;
    }

    @Override
    public PartialResult train(int partition, Iterator<EncodedSequence> data, float[] params, Supplier<float[]> optState,
                               long seed) {
        List<EncodedSequence> sequences = new ArrayList<>();
        data.forEachRemaining(sequences::add);
        BatchPosition start = cursor(stepsBefore * optimizer().accumulationSteps(),
                EpochPlan.batchesPerEpoch(sequences.size(), batches.batchSize()));
        MiniBatchIterator it = new MiniBatchIterator(sequences, batches, vocabulary, jobSeed, partition, start, epochs);
        if (!it.hasNext()) {
            return new PartialResult(0, params, optState.get(), 0, 0, 0);
        }
        String key = Integer.toHexString((modelJson + optimizerJson + freeze).hashCode());
        try (ExecutorModelCache.Lease<ResidentTrainingModel> lease = ExecutorModelCache.lease(key, ResidentTrainingModel.class,
                () -> ResidentTrainingModel.build(TransformerConfig.fromJson(modelJson), optimizer(), freeze))) {
            ResidentTrainingModel worker = lease.model();
            int stateSize = Math.toIntExact(worker.trainer().optimizerStateSize());
            worker.trainer().restore(params, () -> startState(optState, stateSize), stepsBefore);
            TrainStats stats;
            try {
                stats = worker.trainer().train(killable(it, partition, worker, lease.reused()), steps, seed);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("partition " + partition + ": " + e.getMessage());
            }
            TrainerState after = worker.trainer().state();
            return new PartialResult(stats.examples(), after.parameters(), after.optimizerState(), stats.lossSum(),
                    stats.lossCount(), stats.tokens());
        }
    }

    /** The averaged state when this round keeps it and it has values, fresh zeros otherwise. */
    private float[] startState(Supplier<float[]> averaged, int size) {
        float[] state = keepOptimizerState ? averaged.get() : new float[0];
        return state.length == 0 ? new float[size] : state;
    }

    /** Where a partition with {@code batchesPerEpoch} minibatches per epoch stands after {@code consumed} of them. */
    static BatchPosition cursor(long consumed, int batchesPerEpoch) {
        if (batchesPerEpoch == 0) {
            return new BatchPosition(0, 0);
        }
        return new BatchPosition((int) (consumed / batchesPerEpoch), (int) (consumed % batchesPerEpoch));
    }

    private OptimizerConfig optimizer() {
        return OptimizerConfig.fromJson(optimizerJson);
    }

    /**
     * The minibatches, ending the task at the next one once Spark has killed it (a straggler relaunched, a cancelled
     * job), so a killed attempt stops within one optimizer step; each passes {@link TaskFaults#beforeBatch}.
     */
    private static Iterator<MiniBatch> killable(Iterator<MiniBatch> batches, int partition, ResidentTrainingModel model,
                                                boolean reusedModel) {
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        return new Iterator<>() {
            private int served;

            @Override
            public boolean hasNext() {
                if (task != null) {
                    task.killTaskIfInterrupted();
                }
                return batches.hasNext();
            }

            @Override
            public MiniBatch next() {
                TaskFaults.beforeBatch(partition, served++, model, reusedModel);
                return batches.next();
            }
        };
    }
}
