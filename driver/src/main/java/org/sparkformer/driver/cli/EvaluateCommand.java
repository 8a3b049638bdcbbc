package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sparkformer evaluate}: metrics of a model on data.testPath, or on --input. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model directory on data.testPath (a masked-LM model: data.corpusPath), or on --input;"
                + " writes metrics.json to --output and prints it.")
final class EvaluateCommand extends JobCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory to evaluate.")
    String model;

    @Option(names = "--input", paramLabel = "PATH",
            description = "Labelled data (or a corpus, for a masked-LM model) to evaluate on instead of the configured"
                    + " path, in data.format (any Hadoop path or glob).")
    String input;

    @Option(names = "--batch-size", paramLabel = "N", description = "Sequences per scoring batch (default: training.batchSize).")
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
        if (batchSize != null) {
            options.put("batch-size", batchSize.toString());
        }
        return options;
    }

    @Override
    String checkArguments() {
        return batchSize != null && batchSize < 1 ? "--batch-size must be at least 1, got " + batchSize : null;
    }
}
