package org.sparkformer.bench;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.averaging.ParameterAveraging;
import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.averaging.RoundTransport;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.executor.ResidentTrainingModel;
import org.sparkformer.driver.jobs.ExecutorLanes;
import org.sparkformer.driver.training.RoundSchedule;
import org.sparkformer.driver.training.TrainingRun;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.train.TrainerState;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parameter-averaging rounds ({@link ParameterAveraging#round} with the production
 * {@link org.sparkformer.driver.executor.TransformerPartitionTrainer}) on a Spark {@code local-cluster} of two
 * workers with one core each (separate executor JVMs, one BLAS/OpenMP thread each), over the same synthetic
 * sequences sharded into one partition (one worker busy) and into two (both busy). Rounds of the two layouts
 * alternate after their warm-up, so load from outside hits both alike.
 *
 * <p>Per round: tokens/s = tokens trained / round wall time (broadcast, task scheduling, local training, results to
 * the driver, ordered averaging); the overhead share = 1 - (longest task's time inside the partition trainer) / round
 * wall time. Executors need Spark's jars in {@code $SPARK_HOME/jars} (scripts/bench links them) and get this JVM's
 * class directories on their class path.
 */
public final class ScalingProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingProbe.class);
    private static final long JOB_SEED = 42L;
    private static final int WORKERS = 2;

    private final BenchPreset preset;
    private final BenchPlan plan;

    public ScalingProbe(BenchPreset preset, BenchPlan plan) {
        this.preset = preset;
        this.plan = plan;
    }

    /**
     * One layout's rounds.
     *
     * @param workers         partitions = busy single-core executors
     * @param roundSeconds    wall time of each timed round
     * @param tokensPerSecond tokens per second of each timed round
     * @param overheadShare   share of each timed round outside the longest task's local training
     * @param outsideSeconds  seconds of each timed round outside the longest task's local training
     * @param broadcastSeconds, jobSeconds, aggregateSeconds, trainSeconds  the parts of each timed round
     * @param outside         where the time outside training went, by Spark's timing of the longest-training task
     */
    public record Layout(int workers, Samples roundSeconds, Samples tokensPerSecond, Samples overheadShare,
                         Samples outsideSeconds, Samples broadcastSeconds, Samples jobSeconds, Samples aggregateSeconds,
                         Samples trainSeconds, long tokensPerRound, OutsideParts outside) {
    }

    /**
     * A round's time outside local training, split by Spark's timing of the task that trained longest (seconds per
     * timed round): {@code broadcast} the driver making the starting arrays available (opening the round channel, or
     * creating the broadcasts); {@code launch} job submission to the task's launch; {@code deserialize} the executor
     * decoding the task; {@code inTask} the task body outside the trainer (reading the starting arrays, sending the
     * result on the round channel or packing it); {@code serialize} the executor serializing the result;
     * {@code delivery} moving the task and its result between driver and executor and decoding the result;
     * {@code rest} the remainder (ordered averaging, waiting for other tasks, job end).
     */
    public record OutsideParts(Samples broadcast, Samples launch, Samples deserialize, Samples inTask,
                               Samples serialize, Samples delivery, Samples rest) {
    }

    /** Peak memory of one executor JVM over the whole measurement. */
    public record ExecutorMemory(String executorId, long heapPeakBytes, long nativePeakBytes, long residentPeakBytes,
                                 String threads) {
    }

    /**
     * @param one                one busy worker
     * @param two                two busy workers
     * @param averagingFrequency optimizer steps per worker per round
     * @param batch              sequences per minibatch
     * @param executors          peak memory per executor
     * @param startSeconds       time to start the cluster and its executors
     */
    public record Figures(Layout one, Layout two, int averagingFrequency, int batch, List<ExecutorMemory> executors,
                          double startSeconds) {

        /** Median tokens/s with two workers over median tokens/s with one. */
        public double scaling() {
            return two.tokensPerSecond().median() / one.tokensPerSecond().median();
        }

        public long heapPeakBytes() {
            return executors.stream().mapToLong(ExecutorMemory::heapPeakBytes).max().orElse(-1);
        }

        public long nativePeakBytes() {
            return executors.stream().mapToLong(ExecutorMemory::nativePeakBytes).max().orElse(-1);
        }

        public long residentPeakBytes() {
            return executors.stream().mapToLong(ExecutorMemory::residentPeakBytes).max().orElse(-1);
        }
    }

    public Figures measure() {
        requireSparkHome();
        TrainingSection defaults = SparkformerConfig.defaults().training();
        int frequency = plan.averagingFrequency() > 0 ? plan.averagingFrequency() : defaults.averagingFrequency();
        int batch = plan.clusterBatch() > 0 ? plan.clusterBatch() : preset.batch();
        int rounds = plan.clusterWarmupRounds() + plan.clusterTimedRounds();
        long t0 = System.nanoTime();
        try (JavaSparkContext jsc = new JavaSparkContext(sparkConf())) {
            awaitExecutors(jsc);
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            LOG.info("local cluster with {} executors up in {} s", WORKERS, String.format("%.1f", startSeconds));
            Vocabulary vocabulary = SyntheticData.vocabulary(preset.model().vocabSize());
            int count = WORKERS * frequency * batch;
            TrainingRun run = new TrainingRun(preset.model(), OptimizerConfig.defaults(),
                    new RoundSchedule((long) rounds * frequency, 0, frequency), BatchConfig.maskedLm(batch), vocabulary,
                    FreezeSpec.NONE, Integer.MAX_VALUE, JOB_SEED, defaults.averageOptimizerState());
            CollectionAccumulator<TaskReport> reports = jsc.sc().collectionAccumulator("benchmark task reports");
            TaskTimeline timeline = new TaskTimeline();
            jsc.sc().addSparkListener(timeline);
            Rounds one = new Rounds(1, shards(jsc, count, 1, vocabulary), run, reports, timeline);
            Rounds two = new Rounds(WORKERS, shards(jsc, count, WORKERS, vocabulary), run, reports, timeline);
            int tag = 0;
            for (int r = 0; r < plan.clusterWarmupRounds(); r++) {
                one.round(tag++, false);
                two.round(tag++, false);
            }
            for (int r = 0; r < plan.clusterTimedRounds(); r++) {
                one.round(tag++, true);
                two.round(tag++, true);
            }
            List<TaskReport> all = List.copyOf(reports.value());
            return new Figures(one.figures(all), two.figures(all), frequency, batch, executorMemory(all), startSeconds);
        }
    }

    /**
     * The same {@code count} synthetic sequences in {@code partitions} partitions (sequence p in partition
     * p mod partitions, as {@link org.sparkformer.data.shard.ShardedSequences} lays them out), built on the executors
     * and cached there as objects; built in place, so no data set travels from the driver.
     */
    private JavaRDD<EncodedSequence> shards(JavaSparkContext jsc, int count, int partitions, Vocabulary vocabulary) {
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ids.add(p);
        }
        int seqLen = preset.seqLen();
        JavaRDD<EncodedSequence> rdd = jsc.parallelize(ids, partitions)
                .mapPartitions(it -> {
                    int partition = it.next();
                    List<EncodedSequence> all = SyntheticData.sequences(count, seqLen, vocabulary, 5L);
                    List<EncodedSequence> mine = new ArrayList<>();
                    for (int i = partition; i < count; i += partitions) {
                        mine.add(all.get(i));
                    }
                    return mine.iterator();
                }, true)
                .setName("synthetic sequences in " + partitions + " partition(s)")
                .persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        return rdd;
    }

    /** The rounds of one layout, with its own parameters and round counter. */
    private static final class Rounds {
        private final int workers;
        private final JavaRDD<EncodedSequence> shards;
        private final TrainingRun run;
        private final CollectionAccumulator<TaskReport> reports;
        private final TaskTimeline timeline;
        private final List<RoundResult> timed = new ArrayList<>();
        private final List<Integer> timedTags = new ArrayList<>();
        private final List<Long> timedWall = new ArrayList<>();
        private float[] params;
        private float[] optState;
        private int round;

        Rounds(int workers, JavaRDD<EncodedSequence> shards, TrainingRun run, CollectionAccumulator<TaskReport> reports,
               TaskTimeline timeline) {
            this.workers = workers;
            this.shards = shards;
            this.run = run;
            this.reports = reports;
            this.timeline = timeline;
            TrainerState start = ResidentTrainingModel.build(run.model(), run.optimizer(), run.freeze()).trainer().state();
            this.params = start.parameters();
            this.optState = start.optimizerState();
        }

        void round(int tag, boolean timedRound) {
            ReportingPartitionTrainer trainer = new ReportingPartitionTrainer(run.partitionTrainer(round), tag, reports);
            shards.context().setLocalProperty(TaskTimeline.ROUND_PROPERTY, String.valueOf(tag));
            long t0 = System.nanoTime();
            RoundResult result = ParameterAveraging.round(shards, params, optState, trainer, round, JOB_SEED);
            long wall = System.nanoTime() - t0;
            shards.context().setLocalProperty(TaskTimeline.ROUND_PROPERTY, null);
            LOG.info("{} worker(s), round {}: {} tokens in {} s", workers, round + 1, result.tokens(),
                    String.format("%.2f", wall / 1e9));
            params = result.params();
            optState = result.optState();
            round++;
            if (timedRound) {
                timed.add(result);
                timedTags.add(tag);
                timedWall.add(wall);
            }
        }

        Layout figures(List<TaskReport> reportsSeen) {
            int n = timed.size();
            double[] wall = new double[n];
            double[] tps = new double[n];
            double[] overhead = new double[n];
            double[] outside = new double[n];
            double[] broadcast = new double[n];
            double[] job = new double[n];
            double[] aggregate = new double[n];
            double[] train = new double[n];
            double[][] parts = new double[6][n];
            long tokens = 0;
            for (int i = 0; i < n; i++) {
                RoundResult r = timed.get(i);
                int tag = timedTags.get(i);
                TaskReport slowest = reportsSeen.stream().filter(t -> t.roundTag() == tag)
                        .max(Comparator.comparingLong(TaskReport::trainNanos))
                        .orElseThrow(() -> new IllegalStateException("no task reported for round tag " + tag));
                long longest = slowest.trainNanos();
                TaskTimeline.Task task = timeline.await(tag, slowest.partition());
                wall[i] = timedWall.get(i) / 1e9;
                tps[i] = r.tokens() / wall[i];
                overhead[i] = 1.0 - longest / 1e9 / wall[i];
                outside[i] = wall[i] - longest / 1e9;
                broadcast[i] = r.broadcastNanos() / 1e9;
                job[i] = r.computeNanos() / 1e9;
                aggregate[i] = r.aggregateNanos() / 1e9;
                train[i] = longest / 1e9;
                tokens = r.tokens();
                parts[0][i] = (task.launchMs() - task.jobStartMs()) / 1e3;
                parts[1][i] = task.deserializeMs() / 1e3;
                parts[2][i] = task.runMs() / 1e3 - train[i];
                parts[3][i] = task.resultSerializeMs() / 1e3;
                parts[4][i] = task.deliveryMs() / 1e3;
                parts[5][i] = outside[i] - broadcast[i] - parts[0][i] - parts[1][i] - parts[2][i] - parts[3][i]
                        - parts[4][i];
            }
            OutsideParts outsideParts = new OutsideParts(Samples.of(broadcast), Samples.of(parts[0]),
                    Samples.of(parts[1]), Samples.of(parts[2]), Samples.of(parts[3]), Samples.of(parts[4]),
                    Samples.of(parts[5]));
            return new Layout(workers, Samples.of(wall), Samples.of(tps), Samples.of(overhead), Samples.of(outside),
                    Samples.of(broadcast), Samples.of(job), Samples.of(aggregate), Samples.of(train), tokens,
                    outsideParts);
        }
    }

    private static List<ExecutorMemory> executorMemory(List<TaskReport> reports) {
        Map<String, List<TaskReport>> byExecutor = reports.stream()
                .collect(Collectors.groupingBy(TaskReport::executorId, LinkedHashMap::new, Collectors.toList()));
        List<ExecutorMemory> out = new ArrayList<>();
        byExecutor.forEach((id, list) -> out.add(new ExecutorMemory(id,
                list.stream().mapToLong(TaskReport::heapPeakBytes).max().orElse(-1),
                list.stream().mapToLong(TaskReport::nativePeakBytes).max().orElse(-1),
                list.stream().mapToLong(TaskReport::residentPeakBytes).max().orElse(-1),
                list.get(list.size() - 1).threads())));
        out.sort((a, b) -> a.executorId().compareTo(b.executorId()));
        return out;
    }

    private SparkConf sparkConf() {
        int executorMb = plan.executorMemoryMb();
        int workerMb = executorMb + 512;
        String oneThread = "-Dorg.bytedeco.openblas.num_threads=1 -Domp.num_threads=1";
        String log4j = System.getProperty("log4j2.configurationFile");
        String javaOptions = ExecutorLanes.withLanes(log4j == null ? oneThread : oneThread + " -Dlog4j2.configurationFile=" + log4j);
        SparkConf conf = new SparkConf()
                .setMaster("local-cluster[" + WORKERS + ",1," + workerMb + "]")
                .setAppName("sparkformer benchmark (" + preset.name() + ")")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", executorMb + "m")
                .set("spark.executor.extraClassPath", classDirectories())
                .set("spark.executor.extraJavaOptions", javaOptions)
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                .set("spark.task.maxFailures", "1");
        RoundTransport.missingFrom(conf).forEach(conf::set);   // as the jobs run (spark.* system properties win)
        return conf;
    }

    /** The directories (compiled modules) on this JVM's class path; jars come from $SPARK_HOME/jars. */
    private static String classDirectories() {
        String cp = ManagementFactory.getRuntimeMXBean().getClassPath();
        List<String> dirs = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isDirectory(Path.of(entry))) {
                dirs.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, dirs);
    }

    private static void requireSparkHome() {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
            throw new IllegalStateException("the scaling measurement needs SPARK_HOME naming a directory whose jars/ holds"
                    + " Spark's jars (scripts/bench prepares one); SPARK_HOME is " + home);
        }
    }

    private static void awaitExecutors(JavaSparkContext jsc) {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (jsc.sc().statusTracker().getExecutorInfos().length < WORKERS + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (jsc.sc().statusTracker().getExecutorInfos().length - 1) + " of "
                        + WORKERS + " executors registered within 180 s; see the worker logs under $SPARK_HOME/work");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }
}
