package org.sparkformer.driver.cli;

import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.config.ConfigException;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.ConfigYaml;
import org.sparkformer.driver.jobs.Job;
import org.sparkformer.driver.jobs.JobRequest;
import org.sparkformer.driver.jobs.OutputExistsException;
import org.sparkformer.driver.jobs.OutputHoldsInputException;
import org.sparkformer.driver.checkpoint.ResumeRefusedException;
import org.sparkformer.driver.jobs.JobRunner;
import org.sparkformer.driver.storage.OutputLock;
import org.sparkformer.kernels.host.UnsupportedBackendException;
import org.sparkformer.kernels.io.ModelFileException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What every job sub-command does: load and validate the configuration (before Spark), build the
 * request, find the job and run it. Exit codes: 0 done, 1 the job failed, 2 bad configuration,
 * arguments, an existing output, an output holding an input, or a resume refused, 3 no such job available, 4 the output is locked by another job.
 */
abstract class JobCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int NO_JOB = 3;
    static final int LOCKED = 4;
    private static final Logger LOG = LoggerFactory.getLogger(JobCommand.class);

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Sub-command name, also the job name. */
    String name() {
        return spec.name();
    }

    /** Configuration sources before the --config files (run-example adds its packaged file here). */
    List<ConfigLoader.Source> builtInSources() {
        return List.of();
    }

    /** The output directory when --output is not given, or null when it is required. */
    String defaultOutput() {
        return null;
    }

    String model() {
        return null;
    }

    String input() {
        return null;
    }

    /** Sub-command specific options for the job, by name (only those given). */
    Map<String, String> jobOptions() {
        return Map.of();
    }

    /** Checks sub-command specific arguments; returns an error message or null. */
    String checkArguments() {
        return null;
    }

    /**
     * Checks what the request's inputs hold that the sub-command needs (read from the file system, before Spark
     * starts), after the arguments and the configuration passed; returns an error message or null.
     */
    String checkInputs(JobRequest request) {
        return null;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        JobRequest request;
        String problem;
        try {
            request = buildRequest();
            problem = checkInputs(request);
        } catch (ConfigException | IllegalArgumentException e) {
            problem = e.getMessage();
            request = null;
        }
        if (problem != null) {
            err.println("sparkformer " + name() + ": " + problem);
            return BAD_INPUT;
        }
        Job job = Sparkformer.catalog().find(name()).orElse(null);
        if (job == null) {
            err.println("sparkformer " + name() + ": configuration is valid, but no implementation of the " + name()
                    + " job is on the class path");
            return NO_JOB;
        }
        try {
            new JobRunner(new Configuration()).run(request, job);
            return 0;
        } catch (OutputExistsException | OutputHoldsInputException | ResumeRefusedException e) {
            err.println("sparkformer " + name() + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (OutputLock.LockedException e) {
            err.println("sparkformer " + name() + ": " + e.getMessage());
            return LOCKED;
        } catch (Exception e) {
            Exception plain = plainProblem(e);
            if (plain != null && !common.verbose) {
                // the message says what is wrong (in which file, or with which backend): a stack trace would only bury
                // it (--verbose shows it)
                LOG.error("{} failed: {}", name(), plain.getMessage());
                err.println("sparkformer " + name() + " failed: " + plain.getMessage());
                return FAILED;
            }
            LOG.error("{} failed", name(), e);
            err.println("sparkformer " + name() + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    /**
     * The problem behind {@code e} that its message says in full, if that is what it is: a model or checkpoint file
     * problem, or an ND4J backend the kernels do not run on (refused on the driver or, inside a failed Spark job, on
     * an executor).
     */
    static Exception plainProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ModelFileException || t instanceof UnsupportedBackendException) {
                return (Exception) t;
            }
        }
        return null;
    }

    JobRequest buildRequest() {
        String problem = checkArguments();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String output = common.output != null ? common.output : defaultOutput();
        if (output == null) {
            throw new IllegalArgumentException("--output is required");
        }
        ConfigLoader loader = new ConfigLoader();
        builtInSources().forEach(loader::add);
        common.configs.forEach(f -> loader.add(ConfigLoader.Source.file(f)));
        ConfigLoader.Loaded loaded = loader.set(common.overrides).build();
        return new JobRequest(name(), loaded.config(), ConfigYaml.toYaml(loaded.config()), loaded.origins(), output,
                common.overwrite, common.resume, common.effectiveMaster(), model(), input(), jobOptions());
    }
}
