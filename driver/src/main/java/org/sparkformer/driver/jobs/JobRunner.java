package org.sparkformer.driver.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.averaging.RoundTransport;
import org.sparkformer.driver.config.DerivedFigures;
import org.sparkformer.driver.storage.OutputLock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link Job} with everything around it, in an order that fails fast: take the output lock, check
 * the output against --overwrite/--resume, save the effective configuration, start (or reuse) the Spark
 * session, run, then release the lock and stop the session if this runner started it.
 */
public final class JobRunner {

    /** File in the output directory holding the effective configuration. */
    public static final String EFFECTIVE_CONFIG = "effective-config.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Configuration hadoopConf;

    public JobRunner(Configuration hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    public void run(JobRequest request, Job job) throws Exception {
        Path output = new Path(request.output());
        FileSystem fs = output.getFileSystem(hadoopConf);
        output = fs.makeQualified(output);
        DerivedFigures.describe(request.config()).forEach(LOG::info);
        try (OutputLock lock = OutputLock.acquire(fs, output, request.command())) {
            prepareOutput(fs, output, request);
            writeEffectiveConfig(fs, output, request.configYaml());
            boolean ownSession = SparkSession.getDefaultSession().isEmpty();
            SparkSession spark = session(request);
            try {
                spark.sparkContext().setJobDescription(request.command());
                job.run(new JobContext(request, spark, fs, output));
            } finally {
                if (ownSession) {
                    spark.stop();
                }
            }
        }
    }

    /** Refuses a non-empty output unless --overwrite (clear it) or --resume (keep it) was given. */
    private static void prepareOutput(FileSystem fs, Path output, JobRequest request) throws IOException {
        FileStatus[] existing = fs.listStatus(output, p -> !p.getName().equals(OutputLock.FILE_NAME)
                && !p.getName().startsWith("." + OutputLock.FILE_NAME));
        if (existing.length == 0 || request.resume()) {
            return;
        }
        if (!request.overwrite()) {
            throw new OutputExistsException("output " + output + " is not empty; pass --overwrite to replace it or --resume to continue"
                    + " from its last checkpoint");
        }
        LOG.info("--overwrite: clearing {}", output);
        for (FileStatus s : existing) {
            fs.delete(s.getPath(), true);
        }
    }

    private static void writeEffectiveConfig(FileSystem fs, Path output, String yaml) throws IOException {
        Path file = new Path(output, EFFECTIVE_CONFIG);
        Path temp = new Path(output, "_tmp-" + EFFECTIVE_CONFIG);
        try (FSDataOutputStream out = fs.create(temp, true)) {
            out.write(yaml.getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(file, false);
        if (!fs.rename(temp, file)) {
            throw new IOException("cannot rename " + temp + " to " + file);
        }
    }

    private static SparkSession session(JobRequest request) {
        SparkSession.Builder builder = SparkSession.builder().appName("sparkformer " + request.command());
        if (request.master() != null) {
            builder.master(request.master());
        }
        SparkConf given = new SparkConf();
        RoundTransport.missingFrom(given).forEach(builder::config);
        String executorOptions = ExecutorLanes.from(given);
        if (executorOptions != null) {
            builder.config(ExecutorLanes.KEY, executorOptions);
        }
        return builder.getOrCreate();
    }
}
