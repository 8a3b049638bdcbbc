package org.sparkformer.driver.training;

import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.averaging.ParameterAveraging;
import org.sparkformer.driver.averaging.StragglerLimit;
import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.checkpoint.Checkpoint;
import org.sparkformer.driver.checkpoint.CheckpointState;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.listeners.HistoryRecorder;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingListeners;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.kernels.io.Tensor;
import org.sparkformer.kernels.optim.LearningRateSchedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loop pretraining and fine-tuning share: rounds of parameter averaging over the sharded
 * sequences, a validation measurement every {@code validateEvery} rounds and after the last one, and
 * listeners (progress, early stopping, checkpoints) after each round; the outcome carries the figures of every round
 * ({@link HistoryRecorder}). Everything a round computes
 * depends only on the run, the round number and the partition, so a resumed or retried run repeats it
 * exactly.
 */
public final class DistributedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    /** Name of the single flat tensor under which parameters and optimizer state are checkpointed. */
    public static final String PARAMS_TENSOR = "params";
    public static final String OPTIMIZER_TENSOR = "optimizer";

    private final TrainingRun run;
    private final int maxBatchesPerEpoch;
    private final List<TrainingListener> listeners;
    private final Validation validation;
    private final int validateEvery;
    private final MetricGoal goal;
    private final GradualPruning pruning;
    private Progress progress;
    private HistoryRecorder recorder;
    private StragglerLimit stragglers = StragglerLimit.OFF;

    /** A trainer without pruning. */
    public DistributedTrainer(TrainingRun run, int maxBatchesPerEpoch, List<TrainingListener> listeners,
                              Validation validation, int validateEvery, MetricGoal goal) {
        this(run, maxBatchesPerEpoch, listeners, validation, validateEvery, goal, null);
    }

    /**
     * @param maxBatchesPerEpoch minibatches per epoch of the largest partition (for the data cursor)
     * @param validation         validation measurement, or null for none
     * @param validateEvery      rounds between validation measurements
     * @param pruning            gradual pruning of every round's averaged parameters, or null for none; validation
     *                           counts only once it has reached its final share
     */
    public DistributedTrainer(TrainingRun run, int maxBatchesPerEpoch, List<TrainingListener> listeners,
                              Validation validation, int validateEvery, MetricGoal goal, GradualPruning pruning) {
        this.run = run;
        this.maxBatchesPerEpoch = maxBatchesPerEpoch;
        this.listeners = List.copyOf(listeners);
        this.validation = validation;
        this.validateEvery = Math.max(1, validateEvery);
        this.goal = goal;
        this.pruning = pruning;
    }

    /** Relaunches a round's straggling task as {@code limit} says (off unless set). */
    public DistributedTrainer withStragglerLimit(StragglerLimit limit) {
        this.stragglers = limit;
        return this;
    }

    /** Trains from {@code start} to the end of the schedule (or an early stop). */
    public TrainingOutcome fit(JavaRDD<EncodedSequence> shards, StartPoint start) throws Exception {
        int totalRounds = run.schedule().rounds();
        TrainingState state = new TrainingState(totalRounds, goal);
        if (start.bestMetric() != null) {
            state.recordValidation(start.bestMetric());
        }
        HistoryRecorder history = new HistoryRecorder(start.history().upTo(start.round()));
        recorder = history;
        List<TrainingListener> withHistory = new ArrayList<>();
        withHistory.add(history);
        withHistory.addAll(listeners);
        TrainingListeners all = new TrainingListeners(withHistory);
        LearningRateSchedule learningRate = new LearningRateSchedule(run.optimizer());
        Progress p = new Progress(start);
        progress = p;
        all.onTrainBegin(state);
        long t0 = System.nanoTime();
        for (int round = start.round(); round < totalRounds && !state.shouldStop(); round++) {
            RoundResult result = averagingRound(shards, p, round, totalRounds);
            p.params = pruning == null ? result.params() : pruning.afterRound(p.params, result.params(), round + 1);
            p.optState = result.optState();
            p.round = round + 1;
            p.lastLoss = result.meanLoss();
            state.afterRound(p.round, result, System.nanoTime() - t0);
            long steps = run.schedule().stepsBefore(p.round);
            state.atStep(steps, epochs(steps), learningRate.at(Math.max(1, steps)));
            boolean validates = p.round % validateEvery == 0 || p.round == totalRounds;
            if (validation != null && validates && (pruning == null || pruning.complete(p.round))) {
                double metric = validation.measure(p.params);
                if (state.recordValidation(metric)) {
                    p.bestParams = p.params.clone();
                    p.bestMetric = metric;
                    p.bestRound = p.round;
                }
                all.onEvaluate(state);
            }
            all.onRoundEnd(state);
        }
        all.onTrainEnd(state);
        return new TrainingOutcome(p.params, p.optState, p.round, run.schedule().stepsBefore(p.round), p.lastLoss,
                p.bestParams, p.bestMetric, p.bestRound, state.stopReason(), snapshot(state).state(), history.history());
    }

    /** The rounds recorded so far (for checkpoint listeners during fit: the history beside a checkpoint). */
    public TrainingHistory history() {
        if (recorder == null) {
            throw new IllegalStateException("no training in progress");
        }
        return recorder.history();
    }

    /** Epochs completed after {@code steps} optimizer steps per worker: minibatches consumed over those per epoch. */
    private double epochs(long steps) {
        return maxBatchesPerEpoch == 0 ? 0 : (double) steps * run.optimizer().accumulationSteps() / maxBatchesPerEpoch;
    }

    /** The checkpoint of the run as it stands after {@code state}'s round (for checkpoint listeners during fit). */
    public Checkpoint snapshot(TrainingState state) {
        if (progress == null) {
            throw new IllegalStateException("no training in progress to checkpoint");
        }
        float[] params = progress.params;
        float[] optState = progress.optState;
        long steps = run.schedule().stepsBefore(state.round());
        long consumed = steps * run.optimizer().accumulationSteps();
        int epoch = maxBatchesPerEpoch == 0 ? 0 : (int) (consumed / maxBatchesPerEpoch);
        CheckpointState cs = new CheckpointState(state.round(), steps, run.jobSeed(), epoch, new long[] {consumed}, steps,
                state.validationMetric(), state.bestMetric(), state.bestRound());
        return new Checkpoint(cs, List.of(flat(PARAMS_TENSOR, params)), List.of(flat(OPTIMIZER_TENSOR, optState)));
    }

    private RoundResult averagingRound(JavaRDD<EncodedSequence> shards, Progress p, int round, int totalRounds) {
        RoundResult result;
        try {
            result = ParameterAveraging.round(shards, p.params, p.optState, run.partitionTrainer(round), round, totalRounds,
                    run.jobSeed(), stragglers);
        } catch (Exception e) {
            // a task's failure arrives as a SparkException, which Scala throws undeclared (a checked exception)
            String divergence = divergenceMessage(e);
            if (divergence != null) {
                throw new TrainingDivergedException("training diverged in round " + (round + 1) + "/" + totalRounds + ": "
                        + divergence + "; parameters of round " + p.round + " and earlier checkpoints are intact"
                        + " (lower training.lr or raise training.warmupSteps, then --resume)", e);
            }
            throw e;
        }
        if (result.lossTerms() > 0 && !Double.isFinite(result.meanLoss())) {
            throw new TrainingDivergedException("training diverged in round " + (round + 1) + "/" + totalRounds
                    + ": mean loss is " + result.meanLoss(), null);
        }
        int bad = firstNonFinite(result.params());
        if (bad >= 0) {
            throw new TrainingDivergedException("training diverged in round " + (round + 1) + "/" + totalRounds
                    + ": averaged parameter " + bad + " is " + result.params()[bad], null);
        }
        return result;
    }

    /** The task's divergence message ("partition 3: loss is NaN at step 17 ...") if {@code e} carries one. */
    static String divergenceMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArithmeticException) {
                return t.getMessage();
            }
            String m = t.getMessage();
            if (m != null) {
                int at = m.indexOf("java.lang.ArithmeticException: ");
                if (at >= 0) {
                    String rest = m.substring(at + "java.lang.ArithmeticException: ".length());
                    int end = rest.indexOf('\n');
                    return end < 0 ? rest : rest.substring(0, end);
                }
            }
        }
        return null;
    }

    private static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    private static Tensor flat(String name, float[] values) {
        return new Tensor(name, new long[] {values.length}, values);
    }

    /** The loop's mutable position. */
    private static final class Progress {
        float[] params;
        float[] optState;
        int round;
        double lastLoss = Double.NaN;
        float[] bestParams;
        Double bestMetric;
        int bestRound;

        Progress(StartPoint s) {
            params = s.params();
            optState = s.optState();
            round = s.round();
            bestParams = s.bestParams();
            bestMetric = s.bestMetric();
            bestRound = s.bestRound();
        }
    }
}
