package org.sparkformer.driver.training;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.shard.ShardedSequences;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.averaging.StragglerLimit;
import org.sparkformer.driver.checkpoint.Checkpoint;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.checkpoint.ResumeRefusedException;
import org.sparkformer.driver.config.RunSettings;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.executor.ResidentTrainingModel;
import org.sparkformer.driver.listeners.CheckpointListener;
import org.sparkformer.driver.listeners.EarlyStopping;
import org.sparkformer.driver.listeners.ProgressLogger;
import org.sparkformer.driver.listeners.TaskProgress;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.storage.RenamedFile;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.Tensor;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What pretraining and fine-tuning share: shard the encoded sequences over the workers, plan the
 * rounds, start fresh or from the newest complete checkpoint, and run the distributed loop with
 * progress logging, checkpoints and (when validating) early stopping. With the checkpoints it keeps the rounds' figures
 * so far ({@link CheckpointSettings#history()}, written before each checkpoint), so that a resumed run's history is whole.
 */
public final class ShardedTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ShardedTraining.class);

    private final TrainingSection training;
    private final TransformerConfig model;
    private final BatchConfig batches;
    private final Vocabulary vocabulary;
    private final FreezeSpec freeze;
    private final List<TrainingListener> extraListeners = new ArrayList<>();
    private CheckpointSettings checkpoints;
    private Validation validation;
    private MetricGoal goal = MetricGoal.MAXIMIZE;
    private double paddingFraction = Double.NaN;
    private Map<String, String> settings = Map.of();
    private Map<String, String> inputs = Map.of();

    public ShardedTraining(TrainingSection training, TransformerConfig model, BatchConfig batches, Vocabulary vocabulary,
                           FreezeSpec freeze) {
        this.training = training;
        this.model = model;
        this.batches = batches;
        this.vocabulary = vocabulary;
        this.freeze = freeze;
    }

    public ShardedTraining checkpoints(CheckpointSettings settings) {
        this.checkpoints = settings;
        return this;
    }

    /**
     * The settings of the run ({@link RunSettings#of}), recorded in every checkpoint and compared with the
     * checkpoint's when resuming; without them (the default) a resume compares nothing but the parameter count.
     */
    public ShardedTraining settings(Map<String, String> runSettings) {
        this.settings = Map.copyOf(runSettings);
        return this;
    }

    /**
     * What the run reads ({@link RunInputs}), recorded in every checkpoint and compared with the checkpoint's when
     * resuming: a resume onto another pretrained model or changed data is refused.
     */
    public ShardedTraining inputs(Map<String, String> runInputs) {
        this.inputs = Map.copyOf(runInputs);
        return this;
    }

    /** Measures {@code validation} about once per epoch; higher is better unless {@code goal} says otherwise. */
    public ShardedTraining validation(Validation v, MetricGoal g) {
        this.validation = v;
        this.goal = g;
        return this;
    }

    /** Share of padding in the first epoch's minibatches of the last fit (NaN before one). */
    public double paddingFraction() {
        return paddingFraction;
    }

    public ShardedTraining listener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /** Trains on {@code sequences} from {@code initialParams} (ignored when resuming from a checkpoint). */
    public TrainingOutcome fit(JavaRDD<EncodedSequence> sequences, float[] initialParams) throws Exception {
        ShardedSequences shards;
        // the first pass over the sequences reads and tokenizes the data: the longest wait before the first round
        try (TaskProgress progress = TaskProgress.open(sequences.context(), "tokenize")) {
            shards = ShardedSequences.shard(sequences, training.workers(), 1);
        }
        try {
            List<Integer> perPartition = shards.batchesPerEpoch(batches.batchSize());
            int maxBatches = perPartition.isEmpty() ? 0 : Collections.max(perPartition);
            if (maxBatches == 0) {
                throw new IllegalArgumentException("no training sequences: every input record was empty or skipped");
            }
            paddingFraction = shards.paddingFraction(batches, training.seed());
            long totalSteps = TrainingRun.totalSteps(maxBatches, training.epochs(), training.accumulationSteps());
            RoundSchedule schedule = RoundSchedule.of(training, totalSteps);
            TrainingRun run = new TrainingRun(model, KernelSettings.optimizer(training, totalSteps), schedule, batches,
                    vocabulary, freeze, training.epochs(), training.seed(), training.averageOptimizerState());
            int roundsPerEpoch = Math.max(1, schedule.rounds() / training.epochs());
            LOG.info("{} sequences in {} partitions, {} minibatches per epoch in the largest; {} steps per worker in {} rounds",
                    shards.count(), shards.partitions(), maxBatches, totalSteps, schedule.rounds());

            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new ProgressLogger());
            if (validation != null && training.earlyStoppingPatience() > 0) {
                listeners.add(new EarlyStopping(training.earlyStoppingPatience()));
            }
            listeners.addAll(extraListeners);
            Holder current = new Holder();
            DistributedTrainer trainer = new DistributedTrainer(run, maxBatches, listenersWithCheckpoints(listeners, current, run,
                    maxBatches), validation, roundsPerEpoch, goal,
                    GradualPruning.of(training.pruning(), model, schedule.rounds()))
                    .withStragglerLimit(new StragglerLimit(training.stragglerFactor(),
                            training.stragglerMinSeconds() * 1000L));
            StartPoint start = startPoint(initialParams, optimizerStateSize(run));
            current.trainer = trainer;
            return trainer.fit(shards.rdd(), start);
        } finally {
            shards.unpersist();
        }
    }

    private List<TrainingListener> listenersWithCheckpoints(List<TrainingListener> listeners, Holder current, TrainingRun run,
                                                            int maxBatches) {
        if (checkpoints == null || training.checkpointEvery() == 0) {
            return listeners;
        }
        CheckpointStore store = store();
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(new CheckpointListener(store, training.checkpointEvery(), s -> {
            if (checkpoints.history() != null) {
                writeHistory(current.trainer.history());
            }
            return withRun(current.trainer.snapshot(s));
        }));
        return all;
    }

    /** The rounds so far, written before the checkpoint of the latest: the file covers every checkpoint. */
    private void writeHistory(TrainingHistory history) {
        try {
            RenamedFile.write(checkpoints.fs(), checkpoints.history(), history.toCsv().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + checkpoints.history(), e);
        }
    }

    /**
     * The rounds before checkpoint round {@code round} as the history file kept them; empty when none is kept, and
     * with a warning when it is missing, cannot be read or does not reach that round (the history then starts at the
     * resume, or has a gap).
     */
    private TrainingHistory earlierHistory(int round) {
        Path file = checkpoints.history();
        if (file == null) {
            return TrainingHistory.empty();
        }
        TrainingHistory earlier;
        try (InputStream in = checkpoints.fs().open(file)) {
            earlier = TrainingHistory.parseCsv(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString())
                    .upTo(round);
        } catch (FileNotFoundException e) {
            LOG.warn("--resume: {} is missing; the run's history starts at round {}", file, round + 1);
            return TrainingHistory.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("--resume: cannot read the rounds before the resume ({}); the run's history starts at round {}",
                    e.getMessage(), round + 1);
            return TrainingHistory.empty();
        }
        if (earlier.size() != round) {
            LOG.warn("--resume: {} holds {} of the {} rounds before the resume; the run's history has those and the"
                    + " rounds from {} on", file, earlier.size(), round, round + 1);
        }
        return earlier;
    }

    private Checkpoint withRun(Checkpoint c) {
        return new Checkpoint(c.state().withRun(settings, inputs), c.params(), c.optimizer());
    }

    private CheckpointStore store() {
        return new CheckpointStore(checkpoints.fs(), checkpoints.dir(), training.keepLastCheckpoints(), goal);
    }

    /** Length of the flat optimizer state for this run's model and optimizer. */
    private static int optimizerStateSize(TrainingRun run) {
        return ResidentTrainingModel.build(run.model(), run.optimizer(), run.freeze()).trainer().state().optimizerState().length;
    }

    private StartPoint startPoint(float[] initialParams, int optimizerStateSize) throws Exception {
        if (checkpoints == null || !checkpoints.resume()) {
            return StartPoint.fresh(initialParams, optimizerStateSize);
        }
        CheckpointStore store = store();
        Map<String, long[]> shapes = Map.of(DistributedTrainer.PARAMS_TENSOR, new long[] {initialParams.length});
        Optional<Checkpoint> latest = store.latestComplete(shapes);
        if (latest.isEmpty()) {
            throw new ResumeRefusedException("--resume: " + checkpoints.dir() + " holds no complete checkpoint of this run"
                    + " to resume from; run without --resume to start from round 0");
        }
        Checkpoint c = latest.get();
        checkSameRun(c);
        float[] best = null;
        if (c.state().bestRound() > 0) {
            best = c.state().bestRound() == c.round() ? tensor(c.params(), DistributedTrainer.PARAMS_TENSOR)
                    : tensor(store.read(c.state().bestRound(), shapes).params(), DistributedTrainer.PARAMS_TENSOR);
        }
        LOG.info("resuming from checkpoint round {} (step {}) in {}", c.round(), c.state().step(), checkpoints.dir());
        return new StartPoint(tensor(c.params(), DistributedTrainer.PARAMS_TENSOR),
                tensor(c.optimizer(), DistributedTrainer.OPTIMIZER_TENSOR), c.round(), best, c.state().bestMetric(),
                c.state().bestRound(), earlierHistory(c.round()));
    }

    /**
     * Refuses a checkpoint written with other settings or inputs than this run's, one line per key that changed. A
     * checkpoint that records none of them (or a run that states none) is not compared, with a warning.
     */
    private void checkSameRun(Checkpoint c) {
        List<String> changes = new ArrayList<>();
        changes.addAll(compared("settings", c.state().settings(), settings, c));
        changes.addAll(compared("inputs", c.state().inputs(), inputs, c));
        if (!changes.isEmpty()) {
            throw new ResumeRefusedException("--resume: the settings or inputs differ from those checkpoint round " + c.round()
                    + " in " + checkpoints.dir() + " was written with (only " + new java.util.TreeSet<>(RunSettings.CHANGEABLE_ON_RESUME)
                    + " may change on resume):\n  " + String.join("\n  ", changes));
        }
    }

    private List<String> compared(String what, Map<String, String> recorded, Map<String, String> now, Checkpoint c) {
        if (now.isEmpty() || recorded.isEmpty()) {
            if (!now.isEmpty()) {
                LOG.warn("--resume: checkpoint round {} in {} records no {}; they cannot be compared with this run's",
                        c.round(), checkpoints.dir(), what);
            }
            return List.of();
        }
        return RunSettings.changes(recorded, now);
    }

    private static float[] tensor(List<Tensor> tensors, String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("checkpoint has no tensor " + name)).data();
    }

    /** The trainer, known once built, for checkpoint snapshots. */
    private static final class Holder {
        DistributedTrainer trainer;
    }
}
