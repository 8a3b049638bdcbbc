package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code sparkformer predict}: labels for input text. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict labels for --input with a model directory; writes predictions/ (one row per input record)"
                + " and prediction-report.json to --output.")
final class PredictCommand extends JobCommand {

    private static final Set<String> OUTPUT_FORMATS = Set.of("parquet", "jsonl", "csv");

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory to predict with.")
    String model;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "Text to label, in data.format (any Hadoop path or glob; comma-separated for several).")
    String input;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet (default), jsonl or csv.")
    String outputFormat;

    @Option(names = "--labelled",
            description = "The input carries gold labels (data.labelColumn, or CoNLL tags): keep them in the output.")
    boolean labelled;

    @Option(names = "--batch-size", paramLabel = "N", description = "Records per scoring batch (default: training.batchSize).")
    Integer batchSize;

    @Override
    String model() {
        return model;
    }

    @Override
    String input() {
        return input;
    }

    @Override
    Map<String, String> jobOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("output-format", outputFormat);
        options.put("labelled", Boolean.toString(labelled));
        if (batchSize != null) {
            options.put("batch-size", batchSize.toString());
        }
        return options;
    }

    @Override
    String checkArguments() {
        if (!OUTPUT_FORMATS.contains(outputFormat)) {
            return "--output-format must be parquet, jsonl or csv, got '" + outputFormat + "'";
        }
        return batchSize != null && batchSize < 1 ? "--batch-size must be at least 1, got " + batchSize : null;
    }
}
