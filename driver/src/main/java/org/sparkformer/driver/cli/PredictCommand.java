package org.sparkformer.driver.cli;

import org.sparkformer.driver.inference.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = OutputFormat.DEFAULT,
            description = "parquet (default), jsonl or csv.")
    String outputFormat;

    @Option(names = "--labelled",
            description = "The input carries gold labels (data.labelColumn, or CoNLL tags): keep them in the output.")
    boolean labelled;

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
        options.put("output-format", outputFormat);
        options.put("labelled", Boolean.toString(labelled));
        scoring.addTo(options);
        return options;
    }

    @Override
    String checkArguments() {
        if (scoring.input == null) {
            return "predict needs --input: the text to label";
        }
        if (!OUTPUT_FORMATS.contains(outputFormat)) {
            return "--output-format must be parquet, jsonl or csv, got '" + outputFormat + "'";
        }
        return scoring.problem();
    }
}
