package org.sparkformer.tests;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.sparkformer.driver.TestClusters;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MaskingPolicy;
import org.sparkformer.data.tokenize.Vocabulary;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.cli.Sparkformer;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.training.ShardedTraining;
import org.sparkformer.kernels.io.ChecksumManifest;
import picocli.CommandLine;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.config.TrainingSection;
import org.sparkformer.driver.executor.FreezeSpec;
import org.sparkformer.driver.executor.ResidentTrainingModel;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.training.DistributedTrainer;
import org.sparkformer.driver.training.KernelSettings;
import org.sparkformer.driver.training.RoundSchedule;
import org.sparkformer.driver.training.StartPoint;
import org.sparkformer.driver.training.TrainingOutcome;
import org.sparkformer.driver.training.TrainingRun;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The one place the integration suites get their environment from: a shared local SparkSession
 * ({@code local[2,4]}: two threads, each task tried up to four times), a shared one-datanode
 * MiniDFSCluster on 127.0.0.1, tiny training configurations, small slices of the sample corpus and
 * synthetic masked-LM sequences. Everything shared starts on first use and stops when the JVM exits; what a suite
 * starts for itself (a larger MiniDFSCluster, a standalone cluster, an S3 API server) it stops.
 */
public final class TestBed {

    /** Vocabulary of the synthetic sequences: the special tokens and {@code w0..w34}. */
    public static final Vocabulary VOCABULARY = syntheticVocabulary(35);

    private static SparkSession spark;
    /** The thread in which Spark stops a context asynchronously (SparkContext.stopInNewThread). */
    private static final String BACKGROUND_STOP_THREAD = "stop-spark-context";

    private TestBed() {
    }

    // ------------------------------------------------------------------ Spark and HDFS

    public static synchronized SparkSession spark() {
        // SparkEnv is global: a context stopped elsewhere in this JVM (a job's own session, a cluster test's) clears it
        // even when the cached session's context has not noticed yet.
        if (spark == null || spark.sparkContext().isStopped() || org.apache.spark.SparkEnv.get() == null) {
            if (spark != null) {
                spark.stop();
            }
            spark = localSession().getOrCreate();
            SparkSession started = spark;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return spark;
    }

    /**
     * Replaces the shared local session with one that also sets {@code key} to {@code value} (a setting Spark reads
     * only at start); {@link #stopSpark} afterwards, and the next {@link #spark()} starts the usual one again.
     */
    public static synchronized SparkSession sparkWith(String key, String value) {
        stopSpark();
        spark = localSession().config(key, value).getOrCreate();
        return spark;
    }

    /** As {@link #sparkWith(String, String)}, with every setting of {@code settings}. */
    public static synchronized SparkSession sparkWith(java.util.Map<String, String> settings) {
        stopSpark();
        SparkSession.Builder builder = localSession();
        settings.forEach(builder::config);
        spark = builder.getOrCreate();
        return spark;
    }

    private static SparkSession.Builder localSession() {
        return SparkSession.builder()
                .master("local[2,4]")
                .appName("sparkformer-integration-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2");
    }

    /** Stops the shared local session (one SparkContext per JVM: a cluster session needs it gone). */
    public static synchronized void stopSpark() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
    }

    /**
     * Stops and forgets every session and context in this JVM (the shared one and any a test made), so
     * the next {@code getOrCreate()} starts afresh. Waits for contexts Spark is stopping in the background (a
     * cluster application killed by its master): such a stop ends by clearing the global SparkEnv, which would
     * otherwise land in the middle of the next context's start.
     */
    public static synchronized void forgetSpark() {
        stopSpark();
        scala.Option<org.apache.spark.SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
        if (active.isDefined()) {
            active.get().stop();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(BACKGROUND_STOP_THREAD)) {
                try {
                    t.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while a Spark context stopped", e);
                }
            }
        }
        org.apache.spark.SparkContext$.MODULE$.clearActiveContext();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    public static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    /** The shared HDFS file system: the driver tests' MiniDFSCluster on 127.0.0.1, started on first use. */
    public static FileSystem hdfs() {
        return TestClusters.hdfs();
    }

    /**
     * A MiniDFSCluster of its own on 127.0.0.1 with {@code dataNodes} DataNodes and {@code replication} replicas per
     * block (to lose a DataNode from); the caller shuts it down.
     */
    public static org.apache.hadoop.hdfs.MiniDFSCluster startHdfs(int dataNodes, int replication) throws IOException {
        return TestClusters.startHdfs(dataNodes, replication);
    }

    /**
     * A real S3 API server (S3Proxy) on 127.0.0.1, reached through S3A ({@link S3ProxyServer#fileSystem}); the caller
     * closes it, and it stops when the JVM exits at the latest.
     */
    static S3ProxyServer startS3() throws Exception {
        return S3ProxyServer.start();
    }

    /** Hadoop configuration of the local file system. */
    public static Configuration localConf() {
        return new Configuration();
    }

    // ------------------------------------------------------------------ standalone cluster

    /**
     * A Spark standalone cluster as scripts/cluster starts it, in child JVMs on this test class path: a
     * Master and two one-core Workers on 127.0.0.1 with {@code spark.authenticate} and RPC encryption under
     * a fresh secret. Executors get the test class path too, so test classes can run in tasks.
     */
    public static final class StandaloneCluster implements AutoCloseable {
        private final Path home;
        private final String secret;
        private final int port;
        private final List<Process> daemons = new ArrayList<>();

        private StandaloneCluster(Path home, String secret, int port) {
            this.home = home;
            this.secret = secret;
            this.port = port;
        }

        public String masterUrl() {
            return "spark://127.0.0.1:" + port;
        }

        public String secret() {
            return secret;
        }

        /**
         * A session on this cluster with the secret (or without it when {@code withSecret} is false). Any
         * session or context left in this JVM by an earlier test is stopped and forgotten first, so
         * {@code getOrCreate()} really connects to this cluster.
         */
        public SparkSession.Builder session(boolean withSecret) {
            forgetSpark();
            SparkSession.Builder b = SparkSession.builder().master(masterUrl()).appName("sparkformer-cluster-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.executor.memory", "1g")
                    .config("spark.executor.cores", "1")
                    .config("spark.task.maxFailures", "4")
                    .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.executor.extraJavaOptions", String.join(" ", javaOpens()));
            if (withSecret) {
                b.config("spark.authenticate", "true").config("spark.authenticate.secret", secret)
                        .config("spark.network.crypto.enabled", "true");
            }
            return b;
        }

        /** Waits until both Workers have registered with the Master. */
        void awaitWorkers(long seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                String log = Files.exists(home.resolve("logs/master.log")) ? Files.readString(home.resolve("logs/master.log")) : "";
                if (log.split("Registering worker", -1).length - 1 >= 2) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("workers did not register within " + seconds + " s; see " + home.resolve("logs"));
        }

        @Override
        public void close() {
            for (Process p : daemons) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** Starts a Master and two Workers (tens of seconds on a loaded machine). */
    public static StandaloneCluster startStandaloneCluster() throws Exception {
        Path home = Files.createTempDirectory("standalone-spark");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("logs"));
        Files.copy(repositoryRoot().resolve("conf/log4j2.properties"), home.resolve("conf/log4j2.properties"));
        Files.writeString(home.resolve("conf/log4j2.properties"), "\nlogger.deploy.name = org.apache.spark.deploy\n"
                + "logger.deploy.level = info\n", StandardOpenOption.APPEND);
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String secret = java.util.HexFormat.of().formatHex(random);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path props = home.resolve("spark-cluster.conf");
        Files.writeString(props, "spark.authenticate true\nspark.authenticate.secret " + secret
                + "\nspark.network.crypto.enabled true\n");
        StandaloneCluster cluster = new StandaloneCluster(home, secret, port);
        try {
            cluster.daemons.add(daemon(home, props, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", "" + port, "--webui-port", "0"));
            for (int i = 1; i <= 2; i++) {
                Path work = Files.createDirectories(home.resolve("work-" + i));
                cluster.daemons.add(daemon(home, props, "worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1500m", "--webui-port", "0",
                        "--work-dir", work.toString(), cluster.masterUrl()));
            }
            cluster.awaitWorkers(120);
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    private static Process daemon(Path home, Path props, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(javaOpens());
        command.addAll(List.of("-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties"),
                "-cp", System.getProperty("java.class.path"), mainClass, "--properties-file", props.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("logs/" + name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_CONF_DIR", home.resolve("conf").toString());
        return pb.start();
    }

    /** The --add-opens and --add-modules flags this JVM runs with (surefire passes the root pom's lists). */
    private static List<String> javaOpens() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")).toList();
    }

    // ------------------------------------------------------------------ repository and data

    /** The repository root (surefire runs in the tests module). */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("conf/default.yaml")) ? here : here.getParent();
    }

    /** The WordNet gloss corpus in conf/sample-data. */
    public static Path sampleCorpus() {
        return repositoryRoot().resolve("conf/sample-data/wordnet/corpus.txt");
    }

    /**
     * The first {@code lines} lines of the sample corpus, written to {@code file}. The sample has no blank
     * lines, so the slice is one document the pretraining job packs into sequences.
     */
    public static Path corpusSlice(Path file, int lines) {
        try (var all = Files.lines(sampleCorpus(), StandardCharsets.UTF_8)) {
            Files.createDirectories(file.getParent());
            Files.write(file, all.limit(lines).toList(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ configurations

    /**
     * A tiny pretraining configuration: tiny model without dropout, a 200-token vocabulary, 24-token
     * sequences, batches of 8 on 2 workers, averaging every 2 steps, 2 epochs; {@code overrides} in
     * {@code --set} form win.
     */
    public static SparkformerConfig tinyConfig(String corpusPath, String... overrides) {
        List<String> sets = new ArrayList<>();
        if (corpusPath != null) {
            sets.add("data.corpusPath=" + corpusPath);
        }
        sets.addAll(List.of(overrides));
        return new ConfigLoader().add(new ConfigLoader.Source("tiny-test-config", TINY_YAML)).set(sets).build().config();
    }

    /** {@link #tinyConfig} as a YAML file for the command line, reading {@code corpusPath}. */
    public static Path tinyConfigFile(Path file, String corpusPath) {
        try {
            Files.createDirectories(file.getParent());
            String yaml = TINY_YAML.replace("data:\n", "data:\n  corpusPath: \"" + corpusPath + "\"\n");
            return Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String TINY_YAML = """
                model:
                  preset: tiny
                  maxLength: 32
                  dropout: 0.0
                  attentionDropout: 0.0
                data:
                  vocabSize: 200
                  maxLength: 24
                  onBadRecord: fail
                training:
                  batchSize: 8
                  epochs: 2
                  workers: 2
                  averagingFrequency: 2
                  checkpointEvery: 1
                  keepLastCheckpoints: 3
                  lr: 0.005
                """;

    /** The tiny masked-LM Transformer for {@link #VOCABULARY}. */
    public static TransformerConfig tinyMaskedLm(SparkformerConfig config) {
        return KernelSettings.model(config.model(), VOCABULARY.size(), Task.MASKED_LM, 0);
    }

    /** Masked-LM minibatches as the pretraining job makes them. */
    public static BatchConfig maskedLmBatches(SparkformerConfig config) {
        return BatchConfig.maskedLm(config.training().batchSize(), MaskingPolicy.bert(config.data().maskProbability()))
                .withBucketing();
    }

    /** {@code n} seeded random sequences of 6 to 20 tokens over {@link #VOCABULARY}, framed by [CLS] ... [SEP]. */
    public static List<EncodedSequence> syntheticSequences(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<EncodedSequence> out = new ArrayList<>();
        int words = VOCABULARY.size() - Vocabulary.SPECIAL_TOKENS.size();
        for (int i = 0; i < n; i++) {
            int length = 6 + random.nextInt(15);
            int[] tokens = new int[length];
            tokens[0] = VOCABULARY.clsId();
            for (int t = 1; t < length - 1; t++) {
                tokens[t] = Vocabulary.SPECIAL_TOKENS.size() + random.nextInt(words);
            }
            tokens[length - 1] = VOCABULARY.sepId();
            out.add(EncodedSequence.unlabelled(tokens, false, "synthetic:" + i));
        }
        return out;
    }

    /**
     * Trains {@code shards} (one partition per worker) with the distributed loop alone, no listeners:
     * the rounds, optimizer and schedule the jobs would plan for this configuration. The rounds train on
     * {@code duringRounds} applied to {@code shards} (a fault injected into the round's tasks, say).
     */
    public static TrainingOutcome trainDirectly(SparkformerConfig config, JavaRDD<EncodedSequence> shards,
                                                UnaryOperator<JavaRDD<EncodedSequence>> duringRounds,
                                                TrainingListener... listeners) throws Exception {
        TrainingSection t = config.training();
        int maxBatches = Collections.max(shards.glom().map(List::size).collect());
        maxBatches = (maxBatches + t.batchSize() - 1) / t.batchSize();
        long totalSteps = TrainingRun.totalSteps(maxBatches, t.epochs(), t.accumulationSteps());
        TransformerConfig model = tinyMaskedLm(config);
        TrainingRun run = new TrainingRun(model, KernelSettings.optimizer(t, totalSteps), RoundSchedule.of(t, totalSteps),
                maskedLmBatches(config), VOCABULARY, FreezeSpec.NONE, t.epochs(), t.seed(), t.averageOptimizerState());
        ResidentTrainingModel fresh = ResidentTrainingModel.build(model, run.optimizer(), FreezeSpec.NONE);
        StartPoint start = StartPoint.fresh(fresh.model().parametersAsFloats(),
                fresh.trainer().state().optimizerState().length);
        return new DistributedTrainer(run, maxBatches, List.of(listeners), null, 1, MetricGoal.MINIMIZE)
                .withStragglerLimit(new org.sparkformer.driver.averaging.StragglerLimit(t.stragglerFactor(),
                        t.stragglerMinSeconds() * 1000L))
                .fit(duringRounds.apply(shards), start);
    }

    /**
     * Trains {@code sequences} as the jobs do ({@link ShardedTraining}: sharding, round plan, checkpoints,
     * resume) with the tiny masked-LM model from its seeded initial weights, plus {@code listeners}.
     */
    public static TrainingOutcome trainSharded(SparkformerConfig config, JavaRDD<EncodedSequence> sequences,
                                               CheckpointSettings checkpoints, TrainingListener... listeners) throws Exception {
        TransformerConfig model = tinyMaskedLm(config);
        ShardedTraining training = new ShardedTraining(config.training(), model, maskedLmBatches(config), VOCABULARY,
                FreezeSpec.NONE);
        if (checkpoints != null) {
            training.checkpoints(checkpoints);
        }
        for (TrainingListener l : listeners) {
            training.listener(l);
        }
        return training.fit(sequences, new TransformerModel(model).parametersAsFloats());
    }

    // ------------------------------------------------------------------ model directories

    /** Saves a freshly initialised tiny masked-LM model directory at {@code dir}. */
    public static void writeTinyModel(FileSystem fs, Path dir) throws IOException {
        tinyModel(0).save(fs, new org.apache.hadoop.fs.Path(dir.toUri()), TINY_METRICS, TINY_PROVENANCE, null, false);
    }

    /** The metrics and provenance {@link #writeTinyModel} saves with a tiny model. */
    public static final Map<String, Double> TINY_METRICS = Map.of("train.loss", 1.0);
    public static final Provenance TINY_PROVENANCE = new Provenance("test", "4.0.1", "1.0.0-M2.1", "17", "pretrain",
            "{}", "none", "2026-01-01T00:00:00Z");

    /** A freshly initialised tiny masked-LM model with {@code offset} added to every weight (to tell models apart). */
    public static TrainedModel tinyModel(float offset) {
        TransformerConfig config = tinyMaskedLm(tinyConfig(null));
        float[] params = new TransformerModel(config).parametersAsFloats();
        for (int i = 0; i < params.length; i++) {
            params[i] += offset;
        }
        return new TrainedModel(config, new TokenizerSettings(true, true, 24), VOCABULARY, List.of(), params);
    }

    /**
     * Rewrites a local model directory's checksums.json to match its files as they are now (Hadoop's
     * .crc side files are dropped), so content planted by a test passes verification and reaches the parsers.
     */
    public static void rewriteChecksums(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path crc : files.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
                Files.delete(crc);
            }
        }
        TreeSet<String> names = new TreeSet<>();
        try (var files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals(ModelDirectory.CHECKSUMS)).forEach(names::add);
        }
        Files.write(dir.resolve(ModelDirectory.CHECKSUMS), ChecksumManifest.ofLocalFiles(dir, names).toBytes());
    }

    /** Runs the {@code sparkformer} command line in this JVM; returns the exit code and what it wrote to stderr. */
    public static CliRun cli(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Sparkformer.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, err.toString());
    }

    /** Exit code and standard error of a command-line run. */
    public record CliRun(int exitCode, String stderr) {
    }

    // ------------------------------------------------------------------ logs

    /** Collects the messages (and stack traces) a logger writes at WARN and above while open. */
    public static final class CapturedLog implements AutoCloseable {
        private final List<String> messages = new CopyOnWriteArrayList<>();
        private final List<String> throwables = new CopyOnWriteArrayList<>();
        private final String loggerName;
        private final Appender appender;

        private CapturedLog(String name) {
            loggerName = name;
            appender = new AbstractAppender("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    messages.add(event.getMessage().getFormattedMessage());
                    if (event.getThrown() != null) {
                        throwables.add(event.getThrown().toString());
                    }
                }
            };
            appender.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            org.apache.logging.log4j.core.config.Configuration conf = context.getConfiguration();
            LoggerConfig own = conf.getLoggerConfig(loggerName);
            if (!own.getName().equals(loggerName)) {
                own = new LoggerConfig(loggerName, null, true);
                conf.addLogger(loggerName, own);
            }
            own.addAppender(appender, Level.WARN, null);
            context.updateLoggers();
        }

        public List<String> messages() {
            return List.copyOf(messages);
        }

        /** The exceptions logged with a stack trace, as {@code Throwable.toString()}. */
        public List<String> throwables() {
            return List.copyOf(throwables);
        }

        @Override
        public void close() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getLoggerConfig(loggerName).removeAppender(appender.getName());
            context.updateLoggers();
            appender.stop();
        }
    }

    /** Starts capturing the warnings of {@code source}'s logger. */
    public static CapturedLog captureWarnings(Class<?> source) {
        return new CapturedLog(source.getName());
    }

    /** Starts capturing the warnings of the logger {@code name} (a package captures every class in it). */
    public static CapturedLog captureWarnings(String name) {
        return new CapturedLog(name);
    }

    private static Vocabulary syntheticVocabulary(int words) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            tokens.add("w" + i);
        }
        return Vocabulary.withSpecialTokens(tokens);
    }
}
