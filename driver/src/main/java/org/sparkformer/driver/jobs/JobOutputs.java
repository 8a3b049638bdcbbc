package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.Path;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.listeners.TrainingHistory;
import org.sparkformer.driver.report.JobReport;
import org.sparkformer.driver.storage.RenamedFile;
import org.sparkformer.driver.modeldir.DataFingerprint;
import org.sparkformer.driver.modeldir.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The layout of a training job's output directory and the records written into it:
 * <pre>
 *   effective-config.yaml   the configuration the job ran with
 *   model/                  the model directory
 *   checkpoints/            round-NNNNNN checkpoints (see CheckpointStore)
 *   data-report.json        what the input data held, skipped and counted
 *   history.csv             one line per averaging round (TrainingHistory); while training, the rounds up to the
 *                           newest checkpoint
 *   report.html, *.png      the job's report and its charts (JobReport)
 * </pre>
 */
public final class JobOutputs {

    public static final String MODEL = "model";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String DATA_REPORT = "data-report.json";
    public static final String HISTORY = "history.csv";

    private static final Logger LOG = LoggerFactory.getLogger(JobOutputs.class);

    private final JobContext context;

    public JobOutputs(JobContext context) {
        this.context = context;
    }

    public Path model() {
        return new Path(context.output(), MODEL);
    }

    public Path checkpoints() {
        return new Path(context.output(), CHECKPOINTS);
    }

    public Path history() {
        return new Path(context.output(), HISTORY);
    }

    /**
     * Checkpoints in {@link #checkpoints()}, resumed when the request says so, with the rounds so far kept in
     * {@link #history()} before each one (a resumed run's history.csv then holds every round).
     */
    public CheckpointSettings checkpointSettings() {
        return new CheckpointSettings(context.outputFs(), checkpoints(), context.request().resume(), history());
    }

    /** Writes the data report atomically and logs its summary. */
    public void writeReport(DataReport report) {
        Path path = new Path(context.output(), DATA_REPORT);
        report.write(path.toString(), context.spark().sparkContext().hadoopConfiguration());
        LOG.info("data report ({}):\n{}", path, report.summary());
    }

    /** Writes the rounds' figures as history.csv (temporary file, then rename). */
    public void writeHistory(TrainingHistory history) throws IOException {
        Path path = history();
        RenamedFile.write(context.outputFs(), path, history.toCsv().getBytes(StandardCharsets.UTF_8));
        LOG.info("wrote {} ({} rounds)", path, history.size());
    }

    /** Writes report.html and its charts as PNG files (each to a temporary file, then renamed). */
    public void writeJobReport(JobReport report) throws IOException {
        report.write(context.outputFs(), context.output());
        LOG.info("wrote {} ({} charts)", new Path(context.output(), JobReport.FILE_NAME), report.charts().size());
    }

    /** Provenance of a model this job writes, fingerprinting the given comma-separated input paths (nulls skipped). */
    public Provenance provenance(String... inputPaths) throws IOException {
        String fingerprint = DataFingerprint.ofPaths(context.spark().sparkContext().hadoopConfiguration(), inputPaths);
        return Provenance.now(context.request().command(), context.request().configYaml(), fingerprint);
    }
}
