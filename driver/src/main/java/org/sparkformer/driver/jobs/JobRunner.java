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
import org.sparkformer.kernels.host.SupportedBackend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link Job} with everything around it, in an order that fails fast: refuse an output that holds one of the
 * job's inputs, take the output lock, check the output against --overwrite/--resume, save the effective configuration
 * (after the job when resuming), start (or reuse) the Spark session, run, then release the lock and stop the session
 * if this runner started it. {@code --overwrite} never deletes first: the job writes to a {@link StagedOutput} swapped
 * in only when it succeeded.
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
        SupportedBackend.require();
        Path output = new Path(request.output());
        FileSystem fs = output.getFileSystem(hadoopConf);
        output = fs.makeQualified(output);
        JobInputs.refuseInputsUnder(output, request, hadoopConf);
        DerivedFigures.describe(request.config()).forEach(LOG::info);
        try (OutputLock lock = OutputLock.acquire(fs, output, request.command())) {
            StagedOutput.recover(fs, output);
            StagedOutput staged = prepareOutput(fs, output, request);
            Path workDir = staged == null ? output : staged.dir();
            if (!request.resume()) {
                writeEffectiveConfig(fs, workDir, request.configYaml());
            }
            boolean ownSession = SparkSession.getDefaultSession().isEmpty();
            SparkSession spark = session(request);
            try {
                spark.sparkContext().setJobDescription(request.command());
                job.run(new JobContext(request, spark, fs, workDir));
                if (request.resume()) {
                    // only now: a resume refused for changed settings leaves the configuration of the checkpoints in place
                    writeEffectiveConfig(fs, workDir, request.configYaml());
                }
                if (staged != null) {
                    staged.commit();
                    staged = null;
                }
            } finally {
                if (staged != null) {
                    staged.discard();
                }
                if (ownSession) {
                    spark.stop();
                }
            }
        }
    }

    /**
     * Refuses a non-empty output unless --overwrite or --resume (keep it) was given; with --overwrite, returns the
     * staging directory the job writes to instead, swapped in when it succeeds (null: write to the output itself).
     */
    private static StagedOutput prepareOutput(FileSystem fs, Path output, JobRequest request) throws IOException {
        FileStatus[] existing = StagedOutput.entries(fs, output);
        if (existing.length == 0 || request.resume()) {
            return null;
        }
        if (!request.overwrite()) {
            throw new OutputExistsException("output " + output + " is not empty; pass --overwrite to replace it or --resume to continue"
                    + " from its last checkpoint");
        }
        LOG.info("--overwrite: the job writes to a staging directory in {}; its current contents are replaced when the"
                + " job has succeeded", output);
        return StagedOutput.create(fs, output);
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
