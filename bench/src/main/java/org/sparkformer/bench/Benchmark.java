package org.sparkformer.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.kernels.host.VectorLanes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code scripts/bench [--config reference|small|large] [--json] [--quick] [--no-cluster] [--averaging-frequency K]}: measures every figure of
 * the performance report in one run and prints a table (to standard error with {@code --json}, which prints one JSON
 * line on standard output instead). {@code --compare-inference} measures only the inference path against the
 * training forward in eval mode ({@link InferenceComparison}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure sgemm peak, kernel training/inference throughput and MFU, data-pipeline throughput, "
                + "and 2-vs-1 worker scaling of parameter averaging on a local Spark cluster.")
public final class Benchmark implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

    @Option(names = "--config", defaultValue = "reference", description = "reference, small or large (default: ${DEFAULT-VALUE})")
    String config;

    @Option(names = "--json", description = "print one JSON line on standard output, the table on standard error")
    boolean json;

    @Option(names = "--quick", description = "fewer repetitions and tiny cluster batches (about 2-3 minutes)")
    boolean quick;

    @Option(names = "--no-cluster", description = "skip the local-cluster scaling part")
    boolean noCluster;

    @Option(names = "--compare-inference", description = "only compare the inference path with the training forward"
            + " in eval mode, in this JVM, and print that table")
    boolean compareInference;

    @Option(names = "--averaging-frequency", paramLabel = "K", defaultValue = "0",
            description = "optimizer steps per worker per averaging round on the cluster (default: the training default,"
                    + " or 2 with --quick)")
    int averagingFrequency;

    @Option(names = "--corpus", defaultValue = "conf/sample-data/wordnet/corpus.txt",
            description = "plain-text corpus for the pipeline part (default: ${DEFAULT-VALUE})")
    Path corpus;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    @Override
    public Integer call() {
        BenchPreset preset = BenchPreset.named(config);
        BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
        if (averagingFrequency < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--averaging-frequency must be positive, got " + averagingFrequency);
        }
        if (averagingFrequency > 0) {
            plan = plan.withAveragingFrequency(averagingFrequency);
        }
        if (compareInference) {
            return compareInference(preset, plan);
        }
        MemoryPeaks local = MemoryPeaks.start();
        Map<String, String> environment = environment();

        LOG.info("sgemm {}^3 ...", plan.sgemmSize());
        Samples sgemmBefore = SgemmProbe.gflops(plan.sgemmSize(), plan.sgemmRuns());
        LOG.info("sgemm: {} GFLOP/s", sgemmBefore);
        KernelProbe kernels = new KernelProbe(preset, plan);
        LOG.info("training {} ...", preset.name());
        KernelProbe.Training training = kernels.training();
        LOG.info("training step seconds: {}", training.stepSeconds());
        LOG.info("inference ...");
        KernelProbe.Inference inference = kernels.inference();
        LOG.info("inference batch seconds: {}", inference.logitsSeconds());
        Samples sgemmAfter = SgemmProbe.gflops(plan.sgemmSize(), plan.sgemmRuns());
        LOG.info("sgemm again: {} GFLOP/s", sgemmAfter);
        SgemmPeak sgemm = new SgemmPeak(sgemmBefore, sgemmAfter);
        LOG.info("data pipeline on {} ...", corpus);
        PipelineProbe.Figures pipeline = new PipelineProbe(corpus, preset, plan).measure();
        long heap = local.heapPeakBytes();
        long nativeBytes = local.nativePeakBytes();
        long resident = MemoryPeaks.residentPeakBytes();
        ScalingProbe.Figures scaling = null;
        if (!noCluster) {
            LOG.info("scaling on a local cluster ...");
            scaling = new ScalingProbe(preset, plan).measure();
        }
        BenchReport report = new BenchReport(preset, plan, quick, environment, sgemm, training, inference, pipeline,
                scaling, heap, nativeBytes, resident);
        PrintStream table = json ? System.err : System.out;
        table.print(report.toTable());
        if (json) {
            System.out.println(report.toJson());
        }
        return 0;
    }

    /** The before/after table of the inference path ({@link InferenceComparison}) between two sgemm probes. */
    private int compareInference(BenchPreset preset, BenchPlan plan) {
        Map<String, String> environment = environment();
        Samples before = SgemmProbe.gflops(plan.sgemmSize(), plan.sgemmRuns());
        InferenceComparison comparison = new InferenceComparison(preset, plan);
        LOG.info("inference, before and after ...");
        java.util.List<InferenceComparison.Case> cases = comparison.measure();
        Samples after = SgemmProbe.gflops(plan.sgemmSize(), plan.sgemmRuns());
        StringBuilder s = new StringBuilder();
        environment.forEach((k, v) -> s.append("  ").append(k).append(": ").append(v).append('\n'));
        s.append(InferenceComparison.toTable(preset, cases, new SgemmPeak(before, after), comparison.repetitions()));
        System.out.print(s);
        return 0;
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        env.put("host", hostName());
        env.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("threads", NativeThreads.describe());
        env.put("vector_lanes", VectorLanes.describe());
        env.put("java", System.getProperty("java.version"));
        env.put("max_heap_mb", String.valueOf(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        return env;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
