package org.sparkformer.driver.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.jobs.Job;
import org.sparkformer.driver.jobs.JobCatalog;
import org.sparkformer.driver.jobs.JobContext;
import org.sparkformer.driver.jobs.JobRunner;
import org.sparkformer.kernels.host.SupportedBackend;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkformerCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<JobContext> ran = new ArrayList<>();

    /** A job that records what it was given and counts a Spark job over the session. */
    private final class RecordingJob implements Job {
        private final String name;

        RecordingJob(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void run(JobContext context) {
            context.spark().sparkContext().parallelize(
                    scala.jdk.javaapi.CollectionConverters.asScala(List.of(1, 2, 3)).toSeq(), 2,
                    scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).count();
            ran.add(context);
        }
    }

    private int run(String... args) {
        CommandLine cli = Sparkformer.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @AfterEach
    void restoreCatalog() {
        Sparkformer.useCatalog(null);
    }

    @Test
    void helpListsEverySubcommandAndCommonOptions() {
        assertEquals(0, run("--help"));
        for (String sub : List.of("pretrain", "finetune", "evaluate", "predict", "run-example")) {
            assertTrue(out.toString().contains(sub), sub + " missing from\n" + out);
        }
        assertEquals(0, run("finetune", "--help"));
        for (String option : List.of("--config", "--set", "--output", "--overwrite", "--resume", "--master", "--model")) {
            assertTrue(out.toString().contains(option), option + " missing from\n" + out);
        }
    }

    @Test
    void unknownKeyStopsBeforeAnyJobRuns(@TempDir Path tmp) throws Exception {
        Sparkformer.useCatalog(new JobCatalog(Map.of("finetune", new RecordingJob("finetune"))));
        Path config = tmp.resolve("x.yaml");
        Files.writeString(config, "training:\n  lrr: 0.1\n");
        assertEquals(2, run("finetune", "--config", config.toString(), "--output", tmp.resolve("out").toString()));
        assertEquals("sparkformer finetune: unknown key training.lrr in " + config + " line 2 (did you mean training.lr?)\n",
                err.toString());
        assertTrue(ran.isEmpty());
    }

    @Test
    void missingJobImplementationIsReportedAfterValidation(@TempDir Path tmp) {
        Sparkformer.useCatalog(new JobCatalog(Map.of()));
        assertEquals(3, run("pretrain", "--output", tmp.toString(), "--set", "training.lr=1e-4"));
        assertTrue(err.toString().contains("no implementation of the pretrain job is on the class path"), err.toString());
    }

    @Test
    void validRequestRunsTheJobWithLockedOutputAndSavedConfig(@TempDir Path tmp) throws Exception {
        TestClusters.spark();
        Sparkformer.useCatalog(new JobCatalog(Map.of("run-example", new RecordingJob("run-example"))));
        Path output = tmp.resolve("out");
        assertEquals(0, run("run-example", "--example", "wordnet-pos", "--output", output.toString(),
                "--set", "training.epochs=1"), err.toString());

        assertEquals(1, ran.size());
        JobContext ctx = ran.get(0);
        assertEquals(1, ctx.request().config().training().epochs());
        assertEquals("conf/sample-data/wordnet/pos.train.tsv", ctx.request().config().data().trainPath());
        String saved = Files.readString(output.resolve(JobRunner.EFFECTIVE_CONFIG));
        assertTrue(saved.contains("epochs: 1"), saved);
        assertTrue(Files.notExists(output.resolve("_LOCK")), "lock released");
        assertTrue(TestClusters.spark().sparkContext().isStopped() == false, "a session the runner did not start stays up");

        // the output now has content: a second run needs --overwrite or --resume
        assertEquals(2, run("run-example", "--example", "wordnet-pos", "--output", output.toString()));
        assertTrue(err.toString().contains("is not empty; pass --overwrite to replace it or --resume"), err.toString());
        assertEquals(0, run("run-example", "--example", "wordnet-pos", "--output", output.toString(), "--overwrite"));
        assertEquals(2, ran.size());
    }

    @Test
    void lockedOutputFailsFastEvenWithOverwrite(@TempDir Path tmp) throws Exception {
        Sparkformer.useCatalog(new JobCatalog(Map.of("pretrain", new RecordingJob("pretrain"))));
        Path output = tmp.resolve("out");
        org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(TestClusters.localConf());
        try (var lock = org.sparkformer.driver.storage.OutputLock.acquire(fs, new org.apache.hadoop.fs.Path(output.toUri()), "other")) {
            assertEquals(4, run("pretrain", "--output", output.toString(), "--overwrite"));
        }
        assertTrue(err.toString().contains("is in use by another job (other started"), err.toString());
        assertTrue(ran.isEmpty());
    }

    @Test
    void checkClusterRunsArithmeticRoundsAndPasses() {
        TestClusters.spark();
        assertEquals(0, run("check-cluster", "--partitions", "3", "--rounds", "2", "--params", "1000"), err.toString());
        assertTrue(out.toString().contains("round 2/2: 30 examples from 3 partitions, param[0] = 2.000 (expected 2.000)"),
                out.toString());
        assertTrue(out.toString().contains(", round channel=auto\n"), out.toString());
        assertTrue(out.toString().endsWith("cluster check passed\n"), out.toString());
    }

    @Test
    void anExecutorRefusingItsNd4jBackendFailsTheJobWithThatOneLine(@TempDir Path tmp) {
        TestClusters.spark();
        Job onCudaExecutors = new Job() {
            @Override
            public String name() {
                return "pretrain";
            }

            @Override
            public void run(JobContext context) {
                // what a task does first on an executor whose class path holds nd4j-cuda
                JavaSparkContext.fromSparkContext(context.spark().sparkContext()).parallelize(List.of(1, 2), 2)
                        .foreach(x -> SupportedBackend.require("org.nd4j.linalg.jcublas.JCublasBackend"));
            }
        };
        Sparkformer.useCatalog(new JobCatalog(Map.of("pretrain", onCudaExecutors)));
        assertEquals(1, run("pretrain", "--output", tmp.resolve("out").toString()));
        assertEquals("sparkformer pretrain failed: ND4J backend CUDA (org.nd4j.linalg.jcublas.JCublasBackend) is not"
                + " supported yet: Sparkformer's kernels run on the CPU backend (nd4j-native) only; build without -Pcuda\n",
                err.toString());
    }

    @Test
    void contradictoryFlagsAreRefused(@TempDir Path tmp) {
        Sparkformer.useCatalog(new JobCatalog(Map.of()));
        assertEquals(2, run("pretrain", "--output", tmp.toString(), "--overwrite", "--resume"));
        assertEquals("sparkformer pretrain: --overwrite and --resume contradict each other: choose one\n", err.toString());
    }

    @Test
    void badCompressionRecipesAreOneLineErrorsBeforeAnyJobRuns(@TempDir Path tmp) {
        Sparkformer.useCatalog(new JobCatalog(Map.of("compress", new RecordingJob("compress"))));
        String out = tmp.resolve("out").toString();
        Map<List<String>, String> cases = Map.of(
                List.of("--sparsity", "1.0"), "--sparsity: sparsity 1.0 is outside [0, 1)",
                List.of("--sparsity", "-0.2"), "--sparsity: sparsity -0.2 is outside [0, 1)",
                List.of("--quantize", "int4"), "--quantize: unknown weight format 'int4' (supported: fp32, fp16, bf16, int8)",
                List.of("--prune", "heads:1.0"), "--prune heads 1.0 is outside [0, 1)",
                List.of("--prune", "layers:0.5"), "--prune layers:0.5: 'layers:0.5' is not heads:SHARE or ffn:SHARE",
                List.of("--sparsity", "0.5", "--sparsity-scope", "row"),
                "--sparsity-scope: unknown sparsity scope 'row' (supported: global, layer)",
                List.of("--sparsity", "0.9", "--sparsity-tensors", "embeddings"),
                "--sparsity-tensors: unknown pruned tensors 'embeddings' (supported: encoder, encoder_and_embeddings, all)");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            err.getBuffer().setLength(0);
            List<String> args = new java.util.ArrayList<>(List.of("compress", "--model", "m", "--output", out));
            args.addAll(c.getKey());
            assertEquals(2, run(args.toArray(String[]::new)), c.getKey().toString());
            assertEquals("sparkformer compress: " + c.getValue() + "\n", err.toString());
        }
        assertTrue(ran.isEmpty());
    }
}
