package org.sparkformer.driver.training;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.averaging.ParameterAveraging;
import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.executor.PartialResult;
import org.sparkformer.driver.executor.ResidentTrainingModel;
import org.sparkformer.driver.executor.Seeds;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.optim.OptimizerKind;
import org.sparkformer.kernels.train.TrainerState;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributed training against the same training in one JVM. */
class DistributedEqualsLocalTest {

    private static final long JOB_SEED = 77;
    private static final int VOCAB = 40;
    private static final int BATCH = 4;

    private static final TransformerConfig MODEL = TransformerConfig.tiny(VOCAB)
            .withTask(Task.SEQUENCE_CLASSIFICATION, 2).withDropout(0, 0);
    private static final BatchConfig BATCHES = BatchConfig.of(BATCH, Objective.SEQUENCE_CLASSIFICATION);
    private static final Vocabulary VOCABULARY = vocabulary();

    @Test
    void oneWorkerAveragingEveryStepEqualsOneJvmStepForStep() {
        int steps = 6;
        List<EncodedSequence> data = sequences(24, 1);
        OptimizerConfig optimizer = adamw(steps);
        TrainingRun run = run(optimizer, new RoundSchedule(steps, 0, 1));
        JavaRDD<EncodedSequence> rdd = TestClusters.jsc().parallelize(data, 1);

        ResidentTrainingModel local = ResidentTrainingModel.build(MODEL, optimizer, FreezeSpec.NONE);
        float[] params = local.model().parametersAsFloats();
        float[] state = local.trainer().state().optimizerState();
        for (int round = 0; round < steps; round++) {
            RoundResult r = ParameterAveraging.round(rdd, params, state, run.partitionTrainer(round), round, steps, JOB_SEED);
            params = r.params();
            state = r.optState();
        }

        MiniBatchIterator batches = new MiniBatchIterator(data, BATCHES, VOCABULARY, JOB_SEED, 0, new BatchPosition(0, 0), 10);
        local.trainer().train(batches, steps, 1);
        float[] expected = local.model().parametersAsFloats();
        assertEquals(steps, local.trainer().step());
        assertTrue(maxAbsDiff(expected, new TransformerModel(MODEL).parametersAsFloats()) > 1e-3,
                "training must have moved the parameters");
        assertTrue(maxAbsDiff(expected, params) < 1e-6, "max difference " + maxAbsDiff(expected, params));
    }

    @Test
    void twoWorkersAverageWhatEachWorkerComputedWeightedByExamples() throws Exception {
        List<EncodedSequence> data = sequences(30, 2);
        OptimizerConfig optimizer = adamw(3);
        TrainingRun run = run(optimizer, new RoundSchedule(3, 0, 3));
        JavaRDD<EncodedSequence> rdd = TestClusters.jsc().parallelize(data, 2);
        ResidentTrainingModel start = ResidentTrainingModel.build(MODEL, optimizer, FreezeSpec.NONE);
        float[] params = start.model().parametersAsFloats();
        float[] state = start.trainer().state().optimizerState();

        RoundResult averaged = ParameterAveraging.round(rdd, params, state, run.partitionTrainer(0), 0, 1, JOB_SEED);

        List<List<EncodedSequence>> partitions = rdd.glom().collect();
        double[] sum = new double[params.length];
        long weight = 0;
        for (int p = 0; p < partitions.size(); p++) {
            PartialResult worker = run.partitionTrainer(0).train(p, partitions.get(p).iterator(), params.clone(),
                    state::clone, Seeds.forPartition(JOB_SEED, 0, p));
            for (int i = 0; i < sum.length; i++) {
                sum[i] += (double) worker.examples() * worker.params()[i];
            }
            weight += worker.examples();
        }
        float[] expected = new float[params.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) (sum[i] / weight);
        }
        assertEquals(weight, averaged.examples());
        assertEquals(2, averaged.partitionsWithData());
        assertArrayEquals(expected, averaged.params());
    }

    private static TrainingRun run(OptimizerConfig optimizer, RoundSchedule schedule) {
        return new TrainingRun(MODEL, optimizer, schedule, BATCHES, VOCABULARY, FreezeSpec.NONE, 10, JOB_SEED, true);
    }

    private static OptimizerConfig adamw(long totalSteps) {
        return new OptimizerConfig(OptimizerKind.ADAMW, 1e-2, 0.9, 0.999, 1e-8, 0.01, 0, totalSteps, Decay.LINEAR, 1.0, 1);
    }

    /** Sequences labelled by whether token 7 occurs; {@code seedOffset} varies the data between tests. */
    private static List<EncodedSequence> sequences(int n, long seedOffset) {
        SplittableRandom random = new SplittableRandom(100 + seedOffset);
        List<EncodedSequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = 4 + random.nextInt(6);
            int[] tokens = new int[length];
            tokens[0] = VOCABULARY.clsId();
            boolean hasSeven = false;
            for (int t = 1; t < length - 1; t++) {
                tokens[t] = 5 + random.nextInt(VOCAB - 5);
                hasSeven |= tokens[t] == 7;
            }
            tokens[length - 1] = VOCABULARY.sepId();
            out.add(new EncodedSequence(tokens, null, hasSeven ? 1 : 0, false, "test:" + i));
        }
        return out;
    }

    private static Vocabulary vocabulary() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < VOCAB - 5; i++) {
            tokens.add("w" + i);
        }
        return Vocabulary.withSpecialTokens(tokens);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
