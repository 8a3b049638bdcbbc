package org.sparkformer.driver.cli;

import org.sparkformer.driver.compression.CompressionRecipe;
import org.sparkformer.kernels.compress.MagnitudePruning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sparkformer compress}: a smaller classifier and a report of what it cost. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress a classifier (prune heads and feed-forward neurons, prune weights by magnitude, store"
                + " weights in fewer bits) and report file size, parameters, sparsity, validation accuracy and macro-F1,"
                + " and inference tokens/s before and after. Writes model/ and compression-report.{json,txt,html} to"
                + " --output.")
final class CompressCommand extends JobCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Classifier model directory to compress.")
    String model;

    @Option(names = "--input", paramLabel = "PATH",
            description = "Labelled validation data the report scores both models on (default: data.validationPath).")
    String input;

    @Option(names = "--quantize", paramLabel = "FORMAT",
            description = "Store the weight matrices as int8 (a scale per row), fp16 or bf16 (default: fp32).")
    String quantize;

    @Option(names = "--sparsity", paramLabel = "SHARE",
            description = "Set this share of the pruned tensors' elements, the smallest in magnitude, to zero; in [0, 1).")
    String sparsity;

    @Option(names = "--sparsity-tensors", paramLabel = "TENSORS",
            description = "What --sparsity prunes and counts: encoder (every block's attention and feed-forward weight"
                    + " matrices), encoder_and_embeddings (also the embedding tables) or all (also the head's)"
                    + " (default: training.pruning.tensors).")
    String sparsityTensors;

    @Option(names = "--sparsity-scope", paramLabel = "SCOPE",
            description = "global (one threshold over all matrices, the default) or layer (the share in every matrix).")
    String sparsityScope;

    @Option(names = "--prune", paramLabel = "SPEC",
            description = "Remove these shares of every block's attention heads and feed-forward neurons, the least"
                    + " important first, e.g. heads:0.3,ffn:0.3.")
    String prune;

    @Option(names = "--importance", paramLabel = "KIND",
            description = "How --prune ranks heads and neurons: taylor (first-order, on calibration data; the default)"
                    + " or magnitude (weight norms).")
    String importance;

    @Option(names = "--calibration", paramLabel = "PATH",
            description = "Labelled data for Taylor importance (default: data.trainPath).")
    String calibration;

    @Option(names = "--batch-size", paramLabel = "N", description = "Sequences per batch (default: training.batchSize).")
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
        put(options, "quantize", quantize);
        put(options, "sparsity", sparsity);
        put(options, "sparsity-tensors", sparsityTensors);
        put(options, "sparsity-scope", sparsityScope);
        put(options, "prune", prune);
        put(options, "importance", importance);
        put(options, "calibration", calibration);
        put(options, "batch-size", batchSize == null ? null : batchSize.toString());
        return options;
    }

    private static void put(Map<String, String> options, String name, String value) {
        if (value != null) {
            options.put(name, value);
        }
    }

    @Override
    String checkArguments() {
        if (batchSize != null && batchSize < 1) {
            return "--batch-size must be at least 1, got " + batchSize;
        }
        try {
            // the configuration's default tensors are not known yet; any stands in to check the options
            CompressionRecipe.parse(quantize, sparsity, sparsityTensors, MagnitudePruning.Tensors.ENCODER, sparsityScope,
                    prune, importance);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
