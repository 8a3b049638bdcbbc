package org.sparkformer.driver.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MaskingPolicy;
import org.sparkformer.data.source.BadRecordException;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.evaluation.ClassificationMetrics;
import org.sparkformer.driver.evaluation.Evaluator;
import org.sparkformer.driver.evaluation.LanguageModelMetrics;
import org.sparkformer.driver.evaluation.MetricsJson;
import org.sparkformer.driver.evaluation.baseline.BaselineReport;
import org.sparkformer.driver.evaluation.baseline.TaskBaselines;
import org.sparkformer.driver.inputs.EncodedSplit;
import org.sparkformer.driver.inputs.SplitReader;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.report.JobReport;
import org.sparkformer.kernels.config.Task;

import java.util.Locale;
import java.util.Map;

/**
 * {@code sparkformer evaluate}: the metrics of a model directory, computed on the executors. A classifier is
 * evaluated on {@code data.testPath} (or {@code --input}) with the labels stored in the model; labels the model does
 * not know are bad records and follow {@code data.onBadRecord}; the task's baselines, fitted on {@code data.trainPath},
 * are scored on the same split beside it (omitted, with the reason, when no training split is configured). A masked-LM model is evaluated on
 * {@code data.corpusPath} (or {@code --input}) with masking seeded from {@code training.seed}. Writes
 * {@code metrics.json} to the output directory (temporary file, then rename) and prints it, and {@code report.html}
 * with, for a classifier, the per-class table and the confusion matrix (also as {@code confusion-matrix.png}).
 */
public final class EvaluateJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobRequest request = context.request();
        Path modelDir = new Path(request.model());
        TrainedModel model = TrainedModel.load(modelDir.getFileSystem(context.spark().sparkContext().hadoopConfiguration()),
                modelDir);
        DataSection data = ScoringDataSection.forModel(request.config().data(), model, request.input());
        int batchSize = ScoringDataSection.batchSize(request);
        ObjectNode metrics = JSON.createObjectNode();
        ClassificationMetrics classification = null;
        metrics.put("model", modelDir.toString());
        metrics.put("task", model.config().task().name().toLowerCase(Locale.ROOT));
        try {
            if (model.config().task() == Task.MASKED_LM) {
                evaluateMaskedLm(context, model, data, batchSize, metrics);
            } else {
                classification = evaluateClassifier(context, model, data, batchSize, metrics);
            }
        } catch (RuntimeException e) {
            throw BadRecordException.findIn(e) != null ? BadRecordException.findIn(e) : e;
        }
        MetricsJson.write(context.outputFs(), new Path(context.output(), MetricsJson.FILE_NAME), metrics);
        LOG.info("wrote {}", new Path(context.output(), MetricsJson.FILE_NAME));
        new JobOutputs(context).writeJobReport(JobReport.evaluation(metrics, classification));
        if (Boolean.parseBoolean(request.option("print", "true"))) {
            System.out.print(MetricsJson.pretty(metrics));
            System.out.flush();
        }
    }

    private static ClassificationMetrics evaluateClassifier(JobContext context, TrainedModel model, DataSection data,
                                                            int batchSize, ObjectNode metrics) {
        String paths = required(data.testPath(), "data.testPath");
        metrics.put("input", paths);
        EncodedSplit encoded = new EvaluationSplits(context.spark(), data, model).labelled(paths);
        ClassificationMetrics result = Evaluator.classification(encoded.sequences().records(), model, batchSize);
        metrics.setAll(result.toJson());
        BaselineReport baselines = baselines(context, data, paths);
        metrics.set("baselines", baselines.toJson());
        putSkipped(metrics, encoded.skippedByReason());
        LOG.info("{} examples: {}, macro-F1 {}, loss {}", result.examples(), baselines.beside("accuracy", result.accuracy()),
                result.macroF1(), result.loss());
        return result;
    }

    private static void evaluateMaskedLm(JobContext context, TrainedModel model, DataSection data, int batchSize,
                                         ObjectNode metrics) {
        String paths = required(data.corpusPath(), "data.corpusPath");
        metrics.put("input", paths);
        EvaluationSplits inputs = new EvaluationSplits(context.spark(), data, model);
        ReadResult<Document> corpus = inputs.corpus();
        JavaRDD<EncodedSequence> sequences = inputs.packed(corpus);
        MaskingPolicy masking = MaskingPolicy.bert(data.maskProbability());
        LanguageModelMetrics result = Evaluator.maskedLm(sequences, model, masking,
                context.request().config().training().seed(), batchSize);
        metrics.setAll(result.toJson());
        putSkipped(metrics, corpus.skippedByReason());
        LOG.info("{} masked tokens: loss {}, perplexity {}", result.maskedTokens(), result.loss(), result.perplexity());
    }

    /** The task's baselines, fitted on data.trainPath and scored on the evaluated split; omitted without a training split. */
    private static BaselineReport baselines(JobContext context, DataSection data, String evaluated) {
        if (data.trainPath() == null || data.trainPath().isBlank()) {
            return BaselineReport.omitted("data.trainPath is not set: baselines are fitted on the training split");
        }
        return TaskBaselines.fromFiles(new SplitReader(context.spark(), data), data.trainPath(), evaluated);
    }

    /** Skipped records by reason (only reasons that occurred) and their total. */
    static void putSkipped(ObjectNode node, Map<BadRecordReason, Long> skipped) {
        ObjectNode byReason = JSON.createObjectNode();
        long total = 0;
        for (Map.Entry<BadRecordReason, Long> e : skipped.entrySet()) {
            if (e.getValue() > 0) {
                byReason.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
                total += e.getValue();
            }
        }
        node.put("skippedRecords", total);
        node.set("skippedByReason", byReason);
    }

    private static String required(String path, String key) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(key + " is not set: give it in the configuration, with --set " + key
                    + "=..., or with --input");
        }
        return path;
    }
}
