package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.Path;
import org.sparkformer.data.report.DataReport;
import org.sparkformer.driver.modeldir.DataFingerprint;
import org.sparkformer.driver.modeldir.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The layout of a training job's output directory and the records written into it:
 * <pre>
 *   effective-config.yaml   the configuration the job ran with
 *   model/                  the model directory
 *   checkpoints/            round-NNNNNN checkpoints (see CheckpointStore)
 *   data-report.json        what the input data held, skipped and counted
 * </pre>
 */
public final class JobOutputs {

    public static final String MODEL = "model";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String DATA_REPORT = "data-report.json";

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

    /** Writes the data report atomically and logs its summary. */
    public void writeReport(DataReport report) {
        Path path = new Path(context.output(), DATA_REPORT);
        report.write(path.toString(), context.spark().sparkContext().hadoopConfiguration());
        LOG.info("data report ({}):\n{}", path, report.summary());
    }

    /** Provenance of a model this job writes, fingerprinting the given comma-separated input paths (nulls skipped). */
    public Provenance provenance(String... inputPaths) throws IOException {
        String fingerprint = DataFingerprint.ofPaths(context.spark().sparkContext().hadoopConfiguration(), inputPaths);
        return Provenance.now(context.request().command(), context.request().configYaml(), fingerprint);
    }
}
