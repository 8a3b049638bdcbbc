package org.sparkformer.driver.cli;

import picocli.CommandLine.Option;

import java.util.Map;

/** The options of the sub-commands that run a trained model over data: evaluate and predict. */
final class ScoringOptions {

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model directory to ${COMMAND-NAME} with (any Hadoop path).")
    String model;

    @Option(names = "--input", paramLabel = "PATH",
            description = "Data to ${COMMAND-NAME}, in data.format (any Hadoop path or glob; comma-separated for several)."
                    + " evaluate reads data.testPath without it (a masked-LM model: data.corpusPath); predict needs it.")
    String input;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Sequences per scoring batch (default: training.batchSize).")
    Integer batchSize;

    /** Adds the batch size, when given, to a job's options. */
    void addTo(Map<String, String> jobOptions) {
        if (batchSize != null) {
            jobOptions.put("batch-size", batchSize.toString());
        }
    }

    /** What is wrong with these options, or null. */
    String problem() {
        return batchSize != null && batchSize < 1 ? "--batch-size must be at least 1, got " + batchSize : null;
    }
}
