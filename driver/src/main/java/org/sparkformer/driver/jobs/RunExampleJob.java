package org.sparkformer.driver.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.evaluation.MetricsJson;
import org.sparkformer.driver.report.JobReport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code sparkformer run-example}: the main job end to end on one configuration, each stage in its own
 * folder of the output directory:
 * <pre>
 *   pretrained/    pretrain on data.corpusPath            (model/, checkpoints/, data-report.json)
 *   finetuned/     finetune from it on data.trainPath     (model/, checkpoints/, data-report.json)
 *   evaluation/    evaluate on data.testPath              (metrics.json)
 *   predictions/   predict on data.testPath               (predictions/, prediction-report.json)
 * </pre>
 * With {@code --resume}, stages whose model is already complete are kept.
 */
public final class RunExampleJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(RunExampleJob.class);

    @Override
    public String name() {
        return "run-example";
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobRequest request = context.request();
        DataSection data = request.config().data();
        Path pretrained = new Path(context.output(), "pretrained");
        Path finetuned = new Path(context.output(), "finetuned");
        Path evaluation = new Path(context.output(), "evaluation");
        Path predictions = new Path(context.output(), "predictions");

        stage(context, new PretrainJob(), pretrained, null, null, Map.of());
        stage(context, new FinetuneJob(), finetuned, model(pretrained), null, Map.of());
        stage(context, new EvaluateJob(), evaluation, model(finetuned), null, Map.of("print", "false"));
        stage(context, new PredictJob(), predictions, model(finetuned), data.testPath(),
                Map.of("labelled", "true", "output-format", "parquet"));

        JsonNode metrics = readJson(context, new Path(evaluation, MetricsJson.FILE_NAME));
        PrintStream out = System.out;
        out.println();
        out.println("run-example finished:");
        out.println("  pretrained model   " + model(pretrained));
        out.println("  fine-tuned model   " + model(finetuned));
        out.println("  training report    " + new Path(finetuned, JobReport.FILE_NAME));
        out.println("  test metrics       " + new Path(evaluation, MetricsJson.FILE_NAME));
        out.println("  test report        " + new Path(evaluation, JobReport.FILE_NAME));
        out.println("  predictions        " + new Path(predictions, PredictJob.PREDICTIONS));
        if (metrics.has("accuracy")) {
            out.printf("  test accuracy %.4f, macro-F1 %.4f on %d examples%n", metrics.get("accuracy").asDouble(),
                    metrics.path("macroF1").asDouble(), metrics.path("examples").asLong());
        }
        out.flush();
    }

    private static String model(Path stage) {
        return new Path(stage, JobOutputs.MODEL).toString();
    }

    /** Runs one stage into {@code output} unless --resume finds its result complete. */
    private void stage(JobContext context, Job job, Path output, String model, String input, Map<String, String> options)
            throws Exception {
        JobRequest r = context.request();
        if (r.resume() && context.outputFs().exists(new Path(output, JobOutputs.MODEL))) {
            LOG.info("run-example: {} already complete in {}, kept", job.name(), output);
            return;
        }
        if (r.resume() && !(job instanceof PretrainJob || job instanceof FinetuneJob) && context.outputFs().exists(output)) {
            context.outputFs().delete(output, true);
        }
        context.outputFs().mkdirs(output);
        LOG.info("run-example: {} -> {}", job.name(), output);
        // a stage resumes only where it checkpointed; one that never started (or wrote no checkpoint) starts at round 0
        boolean resume = r.resume() && hasCheckpoint(context, new Path(output, JobOutputs.CHECKPOINTS));
        JobRequest sub = new JobRequest(job.name(), r.config(), r.configYaml(), r.origins(), output.toString(), false,
                resume, r.master(), model, input, options);
        context.spark().sparkContext().setJobDescription("run-example " + job.name());
        job.run(new JobContext(sub, context.spark(), context.outputFs(), output));
    }

    private static boolean hasCheckpoint(JobContext context, Path checkpoints) throws IOException {
        return !new CheckpointStore(context.outputFs(), checkpoints, 1, MetricGoal.MAXIMIZE).committedRounds().isEmpty();
    }

    private static JsonNode readJson(JobContext context, Path file) throws Exception {
        try (FSDataInputStream in = context.outputFs().open(file)) {
            return new ObjectMapper().readTree(in);
        }
    }
}
