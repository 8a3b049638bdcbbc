package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.batch.Seeds;
import org.sparkformer.data.source.BadRecordException;
import org.sparkformer.driver.compression.CompressionRecipe;
import org.sparkformer.driver.compression.CompressionReport;
import org.sparkformer.driver.compression.CompressionSteps;
import org.sparkformer.driver.compression.ModelFigures;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.evaluation.ClassificationMetrics;
import org.sparkformer.driver.evaluation.Evaluator;
import org.sparkformer.driver.inputs.EncodedSplit;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.model.InferenceTiming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code sparkformer compress}: applies a {@link CompressionRecipe} to a classifier and writes, to the output
 * directory, the compressed model as {@code model/} and what it cost as {@code compression-report.json},
 * {@code compression-report.txt} (also printed) and {@code compression-report.html}. Accuracy, macro-F1 and loss of
 * both models are computed on the validation split ({@code --input}, else {@code data.validationPath}) by the code
 * {@code evaluate} runs; inference throughput of both is timed on the driver the way the benchmark times it, over the
 * same batches of that split, the passes of the two models interleaved. Taylor importance for head and neuron
 * pruning is computed on calibration batches from {@code --calibration}, else {@code data.trainPath}.
 */
public final class CompressJob implements Job {

    public static final String REPORT_JSON = "compression-report.json";
    public static final String REPORT_TEXT = "compression-report.txt";
    public static final String REPORT_HTML = "compression-report.html";
    /** Stream under the job seed from which the order of calibration and timing batches derives. */
    private static final long BATCH_STREAM = 0x434D50;
    private static final int WARMUP_PASSES = 2;
    private static final Logger LOG = LoggerFactory.getLogger(CompressJob.class);

    @Override
    public String name() {
        return "compress";
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobRequest request = context.request();
        CompressionRecipe recipe = recipe(request);
        Path modelDir = new Path(request.model());
        FileSystem modelFs = modelDir.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
        ModelFiles files = TrainedModel.readFiles(modelFs, modelDir);
        TrainedModel model = TrainedModel.fromFiles(files, modelDir.toString());
        if (model.config().task().isLanguageModel()) {
            throw new IllegalArgumentException("compress needs a classifier (its report scores accuracy), but "
                    + modelDir + " is a " + model.config().task() + " model");
        }
        String validation = request.input() != null ? request.input() : request.config().data().validationPath();
        if (validation == null || validation.isBlank()) {
            throw new IllegalArgumentException("data.validationPath is not set: give it in the configuration, with --set"
                    + " data.validationPath=..., or with --input");
        }
        DataSection data = ScoringDataSection.forModel(request.config().data(), model, validation);
        int batchSize = ScoringDataSection.batchSize(request);
        try {
            compress(context, recipe, modelDir, modelFs, files, model, data, validation, batchSize);
        } catch (RuntimeException e) {
            throw BadRecordException.findIn(e) != null ? BadRecordException.findIn(e) : e;
        }
    }

    private void compress(JobContext context, CompressionRecipe recipe, Path modelDir, FileSystem modelFs, ModelFiles files,
                          TrainedModel model, DataSection data, String validation, int batchSize) throws IOException {
        JobRequest request = context.request();
        EvaluationSplits splits = new EvaluationSplits(context.spark(), data, model);
        EncodedSplit split = splits.labelled(validation);
        JavaRDD<EncodedSequence> sequences = split.sequences().records();
        List<MiniBatch> calibration = List.of();
        if (recipe.prunesStructure() && recipe.importance() == CompressionRecipe.Importance.TAYLOR) {
            String path = request.option("calibration", data.trainPath());
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("Taylor importance needs calibration data: set data.trainPath, give"
                        + " --calibration, or use --importance magnitude");
            }
            calibration = batches(splits.labelled(path).sequences().records(), intOption(request, "calibration-examples", 512),
                    batchSize, model, request);
            LOG.info("calibration: {} batches from {}", calibration.size(), path);
        }
        CompressionSteps.Outcome outcome = CompressionSteps.apply(model, recipe, calibration);
        TrainedModel compressed = outcome.compressed().model();

        ClassificationMetrics before = Evaluator.classification(sequences, model, batchSize);
        ClassificationMetrics after = Evaluator.classification(sequences, compressed, batchSize);
        List<MiniBatch> timingBatches = batches(sequences, intOption(request, "timing-examples", 512), batchSize, model,
                request);
        int passes = intOption(request, "timing-passes", 7);
        double[] speeds = tokensPerSecond(model, compressed, timingBatches, passes);

        Path output = new Path(context.output(), JobOutputs.MODEL);
        Map<String, Double> metrics = Map.of("validation.accuracy", after.accuracy(), "validation.macroF1", after.macroF1(),
                "validation.loss", after.loss());
        Provenance provenance = Provenance.now(request.command(), request.configYaml(), files.provenance().dataFingerprint());
        outcome.compressed().save(context.outputFs(), output, metrics, provenance, false);

        long beforeBytes = modelFs.getFileStatus(new Path(modelDir, ModelDirectory.WEIGHTS)).getLen();
        long afterBytes = context.outputFs().getFileStatus(new Path(output, ModelDirectory.WEIGHTS)).getLen();
        CompressionReport report = new CompressionReport(modelDir.toString(), output.toString(), validation, recipe,
                figures(beforeBytes, model, before, speeds[0]), figures(afterBytes, compressed, after, speeds[1]),
                CompressionReport.blocks(model.config(), outcome.kept()), CompressionReport.matrices(outcome.compressed()),
                passes);
        write(context, REPORT_JSON, report.toJsonText());
        write(context, REPORT_TEXT, report.toTable());
        write(context, REPORT_HTML, report.toHtml());
        split.unpersist();
        LOG.info("compressed model written to {}: {}x smaller, {}x the throughput, accuracy {} -> {}", output,
                String.format("%.2f", report.sizeRatio()), String.format("%.2f", report.speedup()), before.accuracy(),
                after.accuracy());
        if (Boolean.parseBoolean(request.option("print", "true"))) {
            System.out.print(report.toTable());
            System.out.flush();
        }
    }

    /** The recipe of a request's options. */
    static CompressionRecipe recipe(JobRequest request) {
        return CompressionRecipe.parse(request.option("quantize", null), request.option("sparsity", null),
                request.option("sparsity-tensors", null), request.config().training().pruning().tensors(),
                request.option("sparsity-scope", null), request.option("prune", null), request.option("importance", null));
    }

    private static ModelFigures figures(long fileBytes, TrainedModel model, ClassificationMetrics metrics,
                                        double tokensPerSecond) {
        long nonzero = 0;
        for (float p : model.params()) {
            nonzero += p != 0 ? 1 : 0;
        }
        return new ModelFigures(fileBytes, model.params().length, nonzero, metrics.examples(), metrics.accuracy(),
                metrics.macroF1(), metrics.loss(), tokensPerSecond);
    }

    /** Minibatches of the first {@code examples} sequences of {@code data}, in an order seeded from the job seed. */
    private static List<MiniBatch> batches(JavaRDD<EncodedSequence> data, int examples, int batchSize, TrainedModel model,
                                           JobRequest request) {
        List<EncodedSequence> sample = new ArrayList<>(data.take(examples));
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("no labelled examples to build batches from");
        }
        Objective objective = model.config().task() == Task.TOKEN_CLASSIFICATION ? Objective.TOKEN_CLASSIFICATION
                : Objective.SEQUENCE_CLASSIFICATION;
        long seed = Seeds.derive(request.config().training().seed(), BATCH_STREAM);
        MiniBatchIterator it = new MiniBatchIterator(sample, BatchConfig.of(batchSize, objective), model.vocabulary(),
                seed, 0, new BatchPosition(0, 0), 1);
        List<MiniBatch> batches = new ArrayList<>();
        it.forEachRemaining(batches::add);
        return batches;
    }

    /**
     * Median tokens per second of {@code before} and {@code after} over {@code passes} passes each, interleaved
     * (before, after, before, ...) so that a change in the machine's load falls on both.
     */
    private static double[] tokensPerSecond(TrainedModel before, TrainedModel after, List<MiniBatch> batches, int passes) {
        InferenceTiming a = new InferenceTiming(before.build(), batches);
        InferenceTiming b = new InferenceTiming(after.build(), batches);
        for (int i = 0; i < WARMUP_PASSES; i++) {
            a.passSeconds();
            b.passSeconds();
        }
        double[] sa = new double[passes];
        double[] sb = new double[passes];
        for (int i = 0; i < passes; i++) {
            sa[i] = a.passSeconds();
            sb[i] = b.passSeconds();
        }
        LOG.info("inference seconds per pass of {} tokens: before {}, after {}", a.tokens(), Arrays.toString(sa),
                Arrays.toString(sb));
        return new double[]{a.tokens() / median(sa), b.tokens() / median(sb)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int intOption(JobRequest request, String name, int fallback) {
        String value = request.option(name, Integer.toString(fallback));
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number of at least 1, got '" + value + "'");
    }

    private static void write(JobContext context, String name, String text) throws IOException {
        Path file = new Path(context.output(), name);
        try (var out = context.outputFs().create(file, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
