package org.sparkformer.kernels.train;

import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.optim.OptimizerKind;
import org.sparkformer.kernels.testing.Batches;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalTrainerTest {

    private static final TransformerConfig CFG = TransformerConfig.tiny(40).withMaxLength(8);
    private static final OptimizerConfig ADAMW = OptimizerConfig.defaults().withLearningRate(3e-3).withSchedule(2, 50, Decay.LINEAR);

    private static List<MiniBatch> batches(TransformerConfig cfg, int count, long seed) {
        List<MiniBatch> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(Batches.random(cfg, 8, new int[] {8, 6, 3}, seed + i));
        }
        return list;
    }

    /** A fresh AdamW trainer of {@link #CFG} after {@code steps} steps on {@code data} with dropout seed {@code seed}. */
    private static LocalTrainer trainedOn(List<MiniBatch> data, int steps, long seed) {
        LocalTrainer trainer = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        trainer.train(data.iterator(), steps, seed);
        return trainer;
    }

    @Test
    void sameSeedAndDataGiveBitwiseIdenticalParameters() {
        List<MiniBatch> data = batches(CFG, 4, 1L);
        LocalTrainer a = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        LocalTrainer b = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        a.train(data.iterator(), 4, 17L);
        b.train(data.iterator(), 4, 17L);
        assertArrayEquals(a.model().parametersAsFloats(), b.model().parametersAsFloats());
        LocalTrainer otherSeed = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        otherSeed.train(data.iterator(), 4, 18L);
        assertFalse(java.util.Arrays.equals(a.model().parametersAsFloats(), otherSeed.model().parametersAsFloats()),
                "dropout seeds must come from the training seed");
    }

    @Test
    void accumulatingTwoMicrobatchesEqualsOneStepOnTheirConcatenation() {
        TransformerConfig cfg = CFG.withDropout(0, 0);
        MiniBatch first = Batches.random(cfg, 8, new int[] {8, 5}, 3L);
        MiniBatch second = Batches.random(cfg, 8, new int[] {7, 8}, 4L);
        MiniBatch joined = new MiniBatch(4, 8, concat(first.tokenIds(), second.tokenIds()),
                concat(first.attentionMask(), second.attentionMask()), concat(first.labels(), second.labels()));
        assertTrue(first.labelledPositions() != second.labelledPositions(), "unequal label counts make the weighting matter");
        OptimizerConfig sgd = new OptimizerConfig(OptimizerKind.SGD, 0.5, 0.9, 0.999, 1e-8, 0, 0, 0, Decay.CONSTANT, 0, 2);
        LocalTrainer accumulated = new LocalTrainer(new TransformerModel(cfg), sgd);
        accumulated.train(List.of(first, second).iterator(), 1, 1L);
        LocalTrainer whole = new LocalTrainer(new TransformerModel(cfg), sgd.withAccumulationSteps(1));
        whole.train(List.of(joined).iterator(), 1, 1L);
        float[] expected = whole.model().parametersAsFloats();
        float[] actual = accumulated.model().parametersAsFloats();
        float[] initial = new TransformerModel(cfg).parametersAsFloats();
        double moved = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-6, "parameter " + i);
            moved = Math.max(moved, Math.abs(expected[i] - initial[i]));
        }
        assertTrue(moved > 1e-3, "the step must change parameters, moved " + moved);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void restoredStateContinuesExactlyLikeAnUninterruptedRun() {
        List<MiniBatch> data = batches(CFG, 6, 10L);
        LocalTrainer uninterrupted = trainedOn(data.subList(0, 3), 3, 5L);
        TrainerState saved = uninterrupted.state();
        assertEquals(3, saved.step());
        assertEquals(2 * uninterrupted.model().numParameters(), saved.optimizerState().length);
        uninterrupted.train(data.subList(3, 6).iterator(), 3, 5L);

        LocalTrainer resumed = new LocalTrainer(new TransformerModel(CFG.withSeed(1234)), ADAMW);
        resumed.restore(saved);
        resumed.train(data.subList(3, 6).iterator(), 3, 5L);
        assertEquals(6, resumed.step());
        assertArrayEquals(uninterrupted.model().parametersAsFloats(), resumed.model().parametersAsFloats());
        assertArrayEquals(uninterrupted.state().optimizerState(), resumed.state().optimizerState());
    }

    @Test
    void optimizerStateHandedOverLateIsAskedForOnlyAtTheFirstUpdateAndTrainsIdentically() {
        List<MiniBatch> data = batches(CFG, 5, 40L);
        TrainerState saved = trainedOn(data.subList(0, 2), 2, 3L).state();

        LocalTrainer eager = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        eager.restore(saved);
        eager.train(data.subList(2, 5).iterator(), 3, 3L);

        LocalTrainer deferred = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        AtomicInteger asked = new AtomicInteger();
        List<Float> firstParameterWhenAsked = new ArrayList<>();
        deferred.restore(saved.parameters(), () -> {
            asked.incrementAndGet();
            firstParameterWhenAsked.add(deferred.model().parametersAsFloats()[0]);
            return saved.optimizerState().clone();
        }, saved.step());
        assertEquals(0, asked.get(), "restoring must not ask for the state yet");
        assertArrayEquals(saved.parameters(), deferred.model().parametersAsFloats(), "parameters load at once");
        deferred.train(data.subList(2, 5).iterator(), 3, 3L);
        assertEquals(1, asked.get(), "the state is asked for once, before the first update");
        assertEquals(saved.parameters()[0], firstParameterWhenAsked.get(0), "no update ran before the state arrived");
        assertEquals(5, deferred.step());
        assertArrayEquals(eager.model().parametersAsFloats(), deferred.model().parametersAsFloats());
        assertArrayEquals(eager.state().optimizerState(), deferred.state().optimizerState());
    }

    @Test
    void optimizerStateOfTheWrongLengthFailsWhenItArrives() {
        LocalTrainer trainer = new LocalTrainer(new TransformerModel(CFG), ADAMW);
        float[] params = trainer.model().parametersAsFloats();
        trainer.restore(params, () -> new float[3], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(batches(CFG, 1, 1L).iterator(), 1, 1L));
        assertTrue(e.getMessage().contains("optimizer state has 3 values"), e.getMessage());
    }

    @Test
    void stopsWhenBatchesRunOutAndCountsPartialAccumulation() {
        LocalTrainer trainer = new LocalTrainer(new TransformerModel(CFG), ADAMW.withAccumulationSteps(2));
        List<MiniBatch> data = batches(CFG, 5, 20L);
        TrainStats stats = trainer.train(data.iterator(), 10, 1L);
        assertEquals(3, stats.steps());
        assertEquals(3, trainer.step());
        assertEquals(15, stats.examples());
        assertEquals(data.stream().mapToLong(MiniBatch::realTokens).sum(), stats.tokens());
        assertEquals(data.stream().mapToLong(MiniBatch::labelledPositions).sum(), stats.lossCount());
        assertTrue(stats.meanLoss() > 0 && stats.meanLoss() < 10, "mean loss " + stats.meanLoss());
        assertEquals(2, trainer.train(data.iterator(), 2, 1L).steps());
        assertEquals(5, trainer.step());
    }

    @Test
    void sgdStateRoundTripsAsEmpty() {
        OptimizerConfig sgd = ADAMW.withKind(OptimizerKind.SGD);
        LocalTrainer trainer = new LocalTrainer(new TransformerModel(CFG), sgd);
        trainer.train(batches(CFG, 1, 1L).iterator(), 1, 1L);
        TrainerState s = trainer.state();
        assertEquals(0, s.optimizerState().length);
        LocalTrainer other = new LocalTrainer(new TransformerModel(CFG), sgd);
        other.restore(s);
        assertArrayEquals(s.parameters(), other.model().parametersAsFloats());
    }

    @Test
    void nonFiniteLossStopsTrainingNamingTheStep() {
        TransformerModel model = new TransformerModel(CFG.withTask(Task.TOKEN_CLASSIFICATION, 3));
        LocalTrainer trainer = new LocalTrainer(model, ADAMW);
        List<MiniBatch> data = batches(model.config(), 3, 30L);
        trainer.train(data.subList(0, 1).iterator(), 1, 1L);
        model.namedParameters().get("head.classifier.bias").putScalar(0, Float.NaN);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> trainer.train(data.iterator(), 3, 1L));
        assertTrue(e.getMessage().contains("at step 2"), e.getMessage());
    }
}
