package org.sparkformer.driver.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.source.BadRecordException;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.ReadOptions;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.evaluation.MetricsJson;
import org.sparkformer.driver.executor.PredictionInput;
import org.sparkformer.driver.executor.PredictionRows;
import org.sparkformer.driver.inference.OutputFormat;
import org.sparkformer.driver.inference.PredictionReader;
import org.sparkformer.driver.inference.Predictor;
import org.sparkformer.driver.modeldir.TrainedModel;

import java.io.IOException;

/**
 * {@code sparkformer predict}: one output row per input record, in the layout {@link PredictionRows} documents,
 * written to {@code predictions/} in the output directory (Parquet by default, or JSON Lines or CSV) through a
 * temporary directory and a rename, with {@code prediction-report.json} beside it: records predicted and bad records
 * skipped by reason. Under {@code data.onBadRecord: fail} a bad record fails the job naming its file and line.
 */
public final class PredictJob implements Job {

    /** Directory of the predictions in the output directory. */
    public static final String PREDICTIONS = "predictions";
    /** Counts of the run, in the output directory. */
    public static final String REPORT = "prediction-report.json";
    private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobRequest request = context.request();
        if (request.input() == null) {
            throw new IllegalArgumentException("predict needs --input");
        }
        Path modelDir = new Path(request.model());
        TrainedModel model = TrainedModel.load(modelDir.getFileSystem(context.spark().sparkContext().hadoopConfiguration()),
                modelDir);
        DataSection data = ScoringDataSection.forModel(request.config().data(), model, null);
        OutputFormat format = OutputFormat.parse(request.option("output-format", OutputFormat.DEFAULT));
        boolean labelled = Boolean.parseBoolean(request.option("labelled", "false"));
        ReadOptions options = ReadOptions.of(BadRecordPolicy.parse(data.onBadRecord()));
        ObjectNode report = JSON.createObjectNode();
        try {
            ReadResult<PredictionInput> read = new PredictionReader(context.spark(), data, options).read(request.input(), labelled);
            long records = read.records().count();
            try (Predictor predictor = new Predictor(context.spark(), model, ScoringDataSection.maxLength(model), ScoringDataSection.batchSize(request))) {
                PredictionRows rows = new PredictionRows(model.labels(), predictor.tagging(), labelled, format.nested());
                write(predictor.predict(context.spark(), read.records(), rows), format, context.outputFs(), context.output());
            }
            report.put("model", modelDir.toString());
            report.put("input", request.input());
            report.put("outputFormat", format.name().toLowerCase(java.util.Locale.ROOT));
            report.put("predictions", records);
            EvaluateJob.putSkipped(report, read.skippedByReason());
            read.unpersist();
        } catch (RuntimeException e) {
            throw BadRecordException.findIn(e) != null ? BadRecordException.findIn(e) : e;
        }
        MetricsJson.write(context.outputFs(), new Path(context.output(), REPORT), report);
        LOG.info("wrote {} predictions to {} ({} bad records skipped)", report.get("predictions"),
                new Path(context.output(), PREDICTIONS), report.get("skippedRecords"));
    }

    /**
     * Writes the rows to a temporary directory, then renames it to {@link #PREDICTIONS}. CSV follows RFC 4180: a field
     * holding a comma, quote or line break is quoted, a quote inside it doubled, and spaces around values are kept.
     */
    private static void write(Dataset<Row> rows, OutputFormat format, FileSystem fs, Path output) throws IOException {
        Path temp = new Path(output, "_tmp-" + PREDICTIONS);
        Path target = new Path(output, PREDICTIONS);
        fs.delete(temp, true);
        DataFrameWriter<Row> writer = rows.write().format(format.sparkSource());
        if (format == OutputFormat.CSV) {
            writer = writer.option("header", "true").option("escape", "\"").option("ignoreLeadingWhiteSpace", "false")
                    .option("ignoreTrailingWhiteSpace", "false");
        }
        writer.mode(SaveMode.ErrorIfExists).save(temp.toString());
        fs.delete(target, true);
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
        }
    }
}
