package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparkformer evaluate}: metrics of a model on data.testPath. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model directory on data.testPath (or data.validationPath); writes metrics.json.")
final class EvaluateCommand extends JobCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory to evaluate.")
    String model;

    @Override
    String model() {
        return model;
    }
}
