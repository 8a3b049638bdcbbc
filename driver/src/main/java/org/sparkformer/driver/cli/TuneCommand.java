package org.sparkformer.driver.cli;

import org.sparkformer.driver.config.ConfigGrid;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.jobs.JobRequest;
import org.sparkformer.driver.jobs.TuneJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sparkformer tune}: fine-tunes one model per point of a grid of settings, scores each on data.validationPath
 * and keeps the best. The grid and every point's configuration are checked before Spark starts.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Grid search: fine-tune one model per combination of the settings in --grid, score each on "
                + "data.validationPath, write the leaderboard and keep the best model.")
final class TuneCommand extends JobCommand {

    @Option(names = "--grid", paramLabel = "FILE", required = true,
            description = "YAML grid: configuration keys with the values to try, e.g. 'training.lr: [1.0e-4, 1.0e-3]'.")
    Path grid;

    @Option(names = "--model", paramLabel = "DIR", description = "Pretrained model directory every point starts from.")
    String model;

    private String gridYaml;
    private ConfigGrid parsed;

    @Override
    String model() {
        return model;
    }

    @Override
    String checkArguments() {
        try {
            gridYaml = Files.readString(grid);
        } catch (IOException e) {
            return "cannot read the grid " + grid + ": " + e.getMessage();
        }
        parsed = ConfigGrid.parse(gridYaml, grid.toString());
        return null;
    }

    @Override
    Map<String, String> jobOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(TuneJob.GRID_OPTION, gridYaml);
        options.put(TuneJob.GRID_NAME_OPTION, grid.toString());
        return options;
    }

    @Override
    JobRequest buildRequest() {
        JobRequest request = super.buildRequest();
        for (SparkformerConfig point : parsed.configs(request.configYaml())) {
            if (point.data().validationPath() == null) {
                throw new IllegalArgumentException("tune scores every point on data.validationPath: set it");
            }
        }
        return request;
    }
}
