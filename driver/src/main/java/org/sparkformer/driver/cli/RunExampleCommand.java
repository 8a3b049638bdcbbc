package org.sparkformer.driver.cli;

import org.sparkformer.driver.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Set;

/** {@code sparkformer run-example}: the packaged end-to-end example on the embedded WordNet sample. */
@Command(name = "run-example", mixinStandardHelpOptions = true,
        description = "Run a packaged example end to end (pretrain, fine-tune, evaluate) on the embedded WordNet sample.")
final class RunExampleCommand extends JobCommand {

    static final Set<String> EXAMPLES = Set.of("wordnet-lexname", "wordnet-pos");

    @Option(names = "--example", paramLabel = "NAME", defaultValue = "wordnet-lexname",
            description = "Example to run: wordnet-lexname or wordnet-pos (default: ${DEFAULT-VALUE}).")
    String example;

    @Override
    String checkArguments() {
        return EXAMPLES.contains(example) ? null : "unknown example " + example + "; choose one of " + EXAMPLES;
    }

    @Override
    List<ConfigLoader.Source> builtInSources() {
        return List.of(ConfigLoader.Source.resource("sparkformer/conf/" + example + ".yaml"));
    }

    @Override
    String defaultOutput() {
        return "output/" + example;
    }
}
