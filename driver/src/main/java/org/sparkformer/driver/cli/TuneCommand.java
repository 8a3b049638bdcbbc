package org.sparkformer.driver.cli;

import org.apache.hadoop.conf.Configuration;
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
import java.util.List;
import java.util.Map;

/**
 * {@code sparkformer tune}: fine-tunes one model per point of a grid of settings, scores each on data.validationPath
 * (or, with {@code --folds K}, by k-fold cross-validation on data.trainPath) and keeps the best. The grid, every
 * point's configuration and the folds (at least 2, and no more than data.trainPath has records) are checked before
 * Spark starts.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Grid search: fine-tune one model per combination of the settings in --grid, score each on "
                + "data.validationPath (or by k-fold cross-validation with --folds), write the leaderboard and keep "
                + "the best model.")
final class TuneCommand extends JobCommand {

    @Option(names = "--grid", paramLabel = "FILE", required = true,
            description = "YAML grid: configuration keys with the values to try, e.g. 'training.lr: [1.0e-4, 1.0e-3]'.")
    Path grid;

    @Option(names = "--model", paramLabel = "DIR", description = "Pretrained model directory every point starts from.")
    String model;

    @Option(names = "--folds", paramLabel = "K",
            description = "k-fold cross-validation on data.trainPath instead of scoring on data.validationPath: each "
                    + "point is trained K times, each time on K-1 folds and scored on the fold left out; the best point "
                    + "is trained again on all of data.trainPath.")
    Integer folds;

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
        if (folds != null) {
            options.put(TuneJob.FOLDS_OPTION, Integer.toString(folds));
        }
        return options;
    }

    @Override
    String checkInputs(JobRequest request) {
        return folds == null ? null : TuneJob.recordsProblem(folds, request.config(), new Configuration());
    }

    @Override
    JobRequest buildRequest() {
        JobRequest request = super.buildRequest();
        List<SparkformerConfig> points = parsed.configs(request.configYaml());
        if (folds != null) {
            String problem = TuneJob.foldsProblem(folds, parsed);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return request;
        }
        for (SparkformerConfig point : points) {
            if (point.data().validationPath() == null) {
                throw new IllegalArgumentException("tune scores every point on data.validationPath: set it, or "
                        + "cross-validate on data.trainPath with --folds K");
            }
        }
        return request;
    }
}
