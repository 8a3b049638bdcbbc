package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sparkformer evaluate}: metrics of a model on data.testPath, or on --input. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model directory on data.testPath (a masked-LM model: data.corpusPath), or on --input;"
                + " writes metrics.json to --output and prints it.")
final class EvaluateCommand extends JobCommand {

    @Mixin
    ScoringOptions scoring;

    @Override
    String model() {
        return scoring.model;
    }

    @Override
    String input() {
        return scoring.input;
    }

    @Override
    Map<String, String> jobOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        scoring.addTo(options);
        return options;
    }

    @Override
    String checkArguments() {
        return scoring.problem();
    }
}
