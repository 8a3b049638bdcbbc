package org.sparkformer.driver.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every job sub-command takes. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration; repeat to layer several, later files win. Keys not given keep the"
                    + " defaults documented in conf/default.yaml.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one key, e.g. --set training.lr=3e-4; repeatable; wins over every file.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "Output directory (any Hadoop path).")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output directory once the job has succeeded.")
    boolean overwrite;

    @Option(names = "--resume", description = "Continue from the newest complete checkpoint in the output directory.")
    boolean resume;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[4] or spark://127.0.0.1:7077 (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--verbose", description = "On failure, log the full stack trace even where one line says what is wrong.")
    boolean verbose;

    /** The master to use: the option, else the one spark-submit passed, else local[*]. */
    String effectiveMaster() {
        if (master != null) {
            return master;
        }
        return System.getProperty("spark.master") != null ? null : "local[*]";
    }
}
