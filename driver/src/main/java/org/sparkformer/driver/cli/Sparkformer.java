package org.sparkformer.driver.cli;

import org.sparkformer.driver.jobs.JobCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sparkformer} entry point. */
@Command(name = "sparkformer", mixinStandardHelpOptions = true, versionProvider = Sparkformer.Version.class,
        description = "Pretrain and fine-tune Transformer encoders across a Spark cluster by parameter averaging.",
        subcommands = {PretrainCommand.class, FinetuneCommand.class, EvaluateCommand.class, PredictCommand.class,
                CompressCommand.class, TuneCommand.class,
                RunExampleCommand.class, CheckClusterCommand.class, CommandLine.HelpCommand.class})
public final class Sparkformer implements Runnable {

    private static volatile JobCatalog catalog;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for embedding and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Sparkformer()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Jobs the sub-commands run; registered implementations unless replaced. */
    static JobCatalog catalog() {
        if (catalog == null) {
            catalog = JobCatalog.fromServiceLoader();
        }
        return catalog;
    }

    /** Replaces the job catalog (embedding applications and tests). */
    public static void useCatalog(JobCatalog jobs) {
        catalog = jobs;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required");
    }

    /** Version from the packaged jar's metadata. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Sparkformer.class.getPackage().getImplementationVersion();
            return new String[]{"sparkformer " + (v == null ? "development" : v)};
        }
    }
}
