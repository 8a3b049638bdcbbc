package org.sparkformer.driver.jobs;

import org.sparkformer.driver.config.SparkformerConfig;

import java.util.Map;

/**
 * A validated request to run one job, built by the command line before Spark starts.
 *
 * @param command         sub-command name, e.g. "finetune"
 * @param config          the effective configuration
 * @param configYaml      the effective configuration as YAML (saved with the output)
 * @param origins         where each configuration value came from
 * @param output          output directory (any Hadoop path)
 * @param overwrite       replace an existing output
 * @param resume          continue from the newest complete checkpoint in the output
 * @param master          Spark master URL; null keeps the one spark-submit set
 * @param model           model directory to read (evaluate, predict, finetune from a pretrained model), or null
 * @param input           input data to predict on or evaluate (overriding the configured path), or null
 * @param options         sub-command specific options by name, e.g. "output-format" for predict
 */
public record JobRequest(String command, SparkformerConfig config, String configYaml, Map<String, String> origins,
                         String output, boolean overwrite, boolean resume, String master, String model, String input,
                         Map<String, String> options) {

    public JobRequest {
        if (overwrite && resume) {
            throw new IllegalArgumentException("--overwrite and --resume contradict each other: choose one");
        }
        origins = Map.copyOf(origins);
        options = Map.copyOf(options);
    }

    /** A request without sub-command specific options. */
    public JobRequest(String command, SparkformerConfig config, String configYaml, Map<String, String> origins,
                      String output, boolean overwrite, boolean resume, String master, String model, String input) {
        this(command, config, configYaml, origins, output, overwrite, resume, master, model, input, Map.of());
    }

    /** The option {@code name}, or {@code fallback} when it was not given. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
