package org.sparkformer.driver.cli;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.driver.averaging.ParameterAveraging;
import org.sparkformer.driver.executor.PartialResult;
import org.sparkformer.driver.executor.PartitionTrainer;
import org.sparkformer.driver.averaging.RoundResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code sparkformer check-cluster}: runs parameter-averaging rounds with an arithmetic "trainer" (each
 * partition adds its index to every parameter) and checks the average against the known answer. Proves
 * that executors start, receive broadcasts and return results through the cluster's security settings.
 */
@Command(name = "check-cluster", mixinStandardHelpOptions = true,
        description = "Run arithmetic averaging rounds on the cluster and check the result against the known answer.")
final class CheckClusterCommand implements Callable<Integer> {

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per round (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds to run (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--params", defaultValue = "100000", description = "Parameter vector length (default: ${DEFAULT-VALUE}).")
    int params;

    @Spec
    CommandSpec spec;

    /** Adds the partition index to every parameter and reports where it ran. */
    private static final class AddPartitionIndex implements PartitionTrainer<Integer> {
        @Override
        public PartialResult train(int partition, Iterator<Integer> data, float[] p, Supplier<float[]> s, long seed) {
            long n = 0;
            while (data.hasNext()) {
                data.next();
                n++;
            }
            for (int i = 0; i < p.length; i++) {
                p[i] += partition;
            }
            return new PartialResult(n, p, s.get(), 0, 0, n);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SparkSession.Builder builder = SparkSession.builder().appName("sparkformer check-cluster");
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        boolean ownSession = SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = builder.getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Integer> data = new ArrayList<>();
            for (int i = 0; i < partitions * 10; i++) {
                data.add(i);
            }
            JavaRDD<Integer> shards = jsc.parallelize(data, partitions);
            List<String> hosts = shards.mapPartitions(it -> List.of(InetAddress.getLocalHost().getHostName() + "/"
                    + org.apache.spark.SparkEnv.get().executorId()).iterator()).distinct().collect();
            float[] p = new float[params];
            double expectedStep = (partitions - 1) / 2.0;
            for (int r = 0; r < rounds; r++) {
                RoundResult result = ParameterAveraging.round(shards, p, new float[0], new AddPartitionIndex(), r, rounds, 1L);
                p = result.params();
                out.printf("round %d/%d: %d examples from %d partitions, param[0] = %.3f (expected %.3f), %.2fs%n", r + 1,
                        rounds, result.examples(), result.partitionsWithData(), p[0], expectedStep * (r + 1),
                        (result.broadcastNanos() + result.computeNanos() + result.aggregateNanos()) / 1e9);
            }
            boolean ok = Math.abs(p[0] - expectedStep * rounds) < 1e-4 && Math.abs(p[params - 1] - expectedStep * rounds) < 1e-4;
            out.println("master " + spark.sparkContext().master() + ", executors " + hosts + ", authenticate="
                    + spark.conf().get("spark.authenticate", "false") + ", rpc encryption="
                    + spark.conf().get("spark.network.crypto.enabled", "false") + ", round channel="
                    + spark.conf().get("spark.sparkformer.channel", "auto"));
            out.println(ok ? "cluster check passed" : "cluster check FAILED");
            return ok ? 0 : 1;
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }
}
