package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparkformer predict}: labels for unlabelled input. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict labels for --input with a model directory; writes predictions to --output.")
final class PredictCommand extends JobCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory to predict with.")
    String model;

    @Option(names = "--input", paramLabel = "PATH", required = true,
            description = "Text to label, in data.format (any Hadoop path).")
    String input;

    @Override
    String model() {
        return model;
    }

    @Override
    String input() {
        return input;
    }
}
