package org.sparkformer.driver.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkformer.driver.config.ConfigException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every shell command the documentation shows is checked against what it names, so that a page cannot drift from
 * the code. The commands are the lines of fenced blocks in README.md and docs/ that start with {@code scripts/} or
 * {@code ./mvnw} (continuation lines joined, comments cut):
 * <ul>
 *   <li>{@code scripts/sparkformer} (and the application arguments of {@code scripts/submit}): the sub-command and
 *       its options parse with the command line's own picocli model, and the request the sub-command would build
 *       before Spark starts (the {@code --config} files loaded with every {@code --set} applied) is valid;</li>
 *   <li>{@code scripts/bench} and {@code scripts/quality}: every option is one the benchmark's main class declares;</li>
 *   <li>{@code scripts/cluster}: the action is one the script handles;</li>
 *   <li>{@code ./mvnw}: the modules of {@code -pl} are the root pom's, the other words lifecycle phases or goals;</li>
 *   <li>every script exists and is executable, and every path under {@code conf/} that a command names exists.</li>
 * </ul>
 */
class DocumentedCommandsTest {

    private static final Path ROOT = Path.of(System.getProperty("sparkformer.repo.root", "..")).toAbsolutePath().normalize();
    private static final Set<String> SHELL_FENCES = Set.of("", "bash", "sh", "shell", "console");
    private static final Set<String> MAVEN_PHASES = Set.of("clean", "validate", "compile", "test-compile", "test",
            "package", "verify", "install", "site");
    private static final Pattern MAIN_CLASS = Pattern.compile("org\\.sparkformer(?:\\.\\w+)+");
    private static final Pattern PICOCLI_OPTION = Pattern.compile(
            "@Option\\((.*?)\\)\\s+(?:final\\s+)?([\\w.<>\\[\\]]+)\\s+\\w+\\s*(?:=[^;]*)?;", Pattern.DOTALL);
    private static final Pattern OPTION_NAMES = Pattern.compile("names\\s*=\\s*(\\{[^}]*\\}|\"[^\"]*\")");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /** One documented command: where it is written and its words, as the shell would split them. */
    record DocumentedCommand(String source, List<String> words) {
        @Override
        public String toString() {
            return source + ": " + String.join(" ", words);
        }
    }

    static List<DocumentedCommand> documentedCommands() {
        List<DocumentedCommand> commands = new ArrayList<>();
        for (Path page : pages()) {
            commands.addAll(commandsIn(page));
        }
        return commands;
    }

    @Test
    void theReadmesTwoCommandsAreAmongTheCheckedOnes() {
        List<String> lines = documentedCommands().stream()
                .filter(c -> c.source().startsWith("README.md:"))
                .map(c -> String.join(" ", c.words()))
                .toList();
        assertTrue(lines.contains("scripts/sparkformer run-example"), "README.md lost its first command: " + lines);
        assertTrue(lines.contains("./mvnw -B verify"), "README.md lost its second command: " + lines);
    }

    @Test
    void everyPageWithCommandsIsRead() {
        Map<String, Integer> perPage = new TreeMap<>();
        documentedCommands().forEach(c -> perPage.merge(c.source().substring(0, c.source().indexOf(':')), 1, Integer::sum));
        for (String page : List.of("README.md", "docs/cli.md", "docs/operations.md", "docs/performance.md")) {
            assertTrue(perPage.containsKey(page), page + " shows no command that this test found; pages read: " + perPage);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedCommands")
    void namesOnlyWhatExists(DocumentedCommand command) {
        List<String> words = command.words();
        String program = words.get(0);
        List<String> args = words.subList(1, words.size());
        Path executable = ROOT.resolve(program);
        assertTrue(Files.isRegularFile(executable) && Files.isExecutable(executable),
                command + "\n  " + program + " is not an executable file of the repository");
        for (String path : confPaths(args)) {
            assertTrue(Files.exists(ROOT.resolve(path)), command + "\n  " + path + " does not exist");
        }
        switch (program) {
            case "scripts/sparkformer" -> checkSparkformer(command, args);
            case "scripts/submit" -> checkSparkformer(command, applicationArguments(command, args));
            case "scripts/bench", "scripts/quality" -> checkBench(command, program, args);
            case "scripts/cluster" -> checkCluster(command, args);
            case "./mvnw" -> checkMaven(command, args);
            case "scripts/notebook" -> checkNotebook(command, args);
            default -> fail(command + "\n  the documentation shows " + program + ", which this test does not know how to"
                    + " check; add a check for it");
        }
    }

    // ---------------------------------------------------------------- the checks

    /** Parses as the command line does, then builds the request a job sub-command builds before Spark starts. */
    private static void checkSparkformer(DocumentedCommand command, List<String> args) {
        CommandLine cli = Sparkformer.commandLine();
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(withRootConfigPaths(args).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(command + "\n  the command line rejects it: " + e.getMessage());
        }
        assertTrue(parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested(),
                command + "\n  names no sub-command");
        if (!parsed.hasSubcommand()) {
            return;
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub.isUsageHelpRequested() || sub.isVersionHelpRequested()
                || !(sub.commandSpec().userObject() instanceof JobCommand job)) {
            return;
        }
        try {
            job.buildRequest();
        } catch (ConfigException | IllegalArgumentException e) {
            throw new AssertionError(command + "\n  sparkformer " + job.name() + " would stop with: " + e.getMessage());
        }
    }

    /** The arguments after scripts/submit's own spark-submit options, split as the script splits them. */
    private static List<String> applicationArguments(DocumentedCommand command, List<String> args) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("--")) {
            String option = args.get(i);
            if (option.equals("--")) {
                i++;
                break;
            }
            boolean takesValue = option.equals("--class") || option.equals("--master")
                    || (i + 1 < args.size() && !args.get(i + 1).startsWith("--"));
            if (option.equals("--class")) {
                String main = args.get(i + 1);
                assertTrue(sourceOf(main) != null, command + "\n  --class " + main + " is no class of the repository");
                assertEquals(Sparkformer.class.getName(), main,
                        command + "\n  only the sparkformer main class's arguments can be checked here");
            }
            i += takesValue ? 2 : 1;
        }
        List<String> application = args.subList(Math.min(i, args.size()), args.size());
        assertTrue(!application.isEmpty(), command + "\n  gives the application no sub-command");
        return application;
    }

    /** Every option is one the main class that the benchmark script runs declares; a value follows each non-flag. */
    private static void checkBench(DocumentedCommand command, String program, List<String> args) {
        String script = read(ROOT.resolve(program));
        Matcher main = MAIN_CLASS.matcher(script);
        assertTrue(main.find(), program + " names no org.sparkformer main class");
        Path source = sourceOf(main.group());
        assertTrue(source != null, program + " runs " + main.group() + ", whose source is in no module of the repository");
        Map<String, Boolean> takesValue = picocliOptions(read(source));
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            assertTrue(takesValue.containsKey(name),
                    command + "\n  " + word + " is not an option of " + main.group() + " (it has " + takesValue.keySet() + ")");
            if (takesValue.get(name) && !word.contains("=")) {
                assertTrue(i + 1 < args.size(), command + "\n  " + name + " needs a value");
                i++;
            }
        }
    }

    /** The action is one of the labels of the script's case statement. */
    /** scripts/notebook takes --install or Jupyter's own options, and starts Jupyter in notebooks/. */
    private static void checkNotebook(DocumentedCommand command, List<String> args) {
        assertTrue(args.isEmpty() || args.equals(List.of("--install")) || args.get(0).startsWith("--"),
                command + "\n  scripts/notebook takes --install or jupyter notebook options, got " + args);
        try (var notebooks = Files.list(ROOT.resolve("notebooks"))) {
            assertTrue(notebooks.anyMatch(p -> p.toString().endsWith(".ipynb")), command + "\n  notebooks/ holds no notebook");
        } catch (java.io.IOException e) {
            throw new AssertionError(command + "\n  notebooks/ cannot be listed: " + e.getMessage());
        }
    }

    private static void checkCluster(DocumentedCommand command, List<String> args) {
        Matcher label = Pattern.compile("(?m)^\\s*([a-z]+)\\)\\s").matcher(read(ROOT.resolve("scripts/cluster")));
        List<String> actions = new ArrayList<>();
        while (label.find()) {
            actions.add(label.group(1));
        }
        assertEquals(1, args.size(), command + "\n  scripts/cluster takes one action of " + actions);
        assertTrue(actions.contains(args.get(0)), command + "\n  " + args.get(0) + " is no action of scripts/cluster " + actions);
    }

    /** -pl names modules of the root pom; words that are not options are lifecycle phases or plugin goals. */
    private static void checkMaven(DocumentedCommand command, List<String> args) {
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1).trim());
        }
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (word.equals("-pl") || word.equals("--projects")) {
                assertTrue(i + 1 < args.size(), command + "\n  -pl needs modules");
                for (String name : args.get(++i).split(",")) {
                    assertTrue(modules.contains(name), command + "\n  " + name + " is no module of pom.xml " + modules);
                }
            } else if (!word.startsWith("-")) {
                assertTrue(MAVEN_PHASES.contains(word) || word.contains(":"),
                        command + "\n  " + word + " is neither a Maven lifecycle phase " + MAVEN_PHASES + " nor a plugin goal");
            }
        }
    }

    // ---------------------------------------------------------------- reading the pages

    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** The commands of one page's shell fences, each with the line it starts on. */
    static List<DocumentedCommand> commandsIn(Path page) {
        String name = ROOT.relativize(page).toString().replace('\\', '/');
        List<String> lines = read(page).lines().toList();
        List<DocumentedCommand> commands = new ArrayList<>();
        boolean inFence = false;
        boolean shell = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                shell = !inFence && SHELL_FENCES.contains(line.substring(3).strip());
                inFence = !inFence;
                continue;
            }
            if (!inFence || !shell || !(line.startsWith("scripts/") || line.startsWith("./mvnw"))) {
                continue;
            }
            int first = i;
            StringBuilder text = new StringBuilder();
            while (line.endsWith("\\") && i + 1 < lines.size()) {
                text.append(line, 0, line.length() - 1).append(' ');
                line = lines.get(++i).strip();
            }
            text.append(line);
            commands.add(new DocumentedCommand(name + ":" + (first + 1), shellWords(text.toString())));
        }
        return commands;
    }

    /**
     * Splits a command line into words as the shell does for these pages: quotes grouped; a comment, a redirection,
     * a pipe or a second command ends it.
     */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if ((c == '#' && word == null) || "<>|;&".indexOf(c) >= 0) {
                if (word != null && !(c == '>' && word.toString().matches("\\d+"))) {
                    words.add(word.toString());
                }
                return words;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    // ---------------------------------------------------------------- helpers

    /** Paths under conf/ that the arguments name, also as the value of KEY=VALUE. */
    private static List<String> confPaths(List<String> args) {
        List<String> paths = new ArrayList<>();
        for (String word : args) {
            String value = word.contains("=") ? word.substring(word.indexOf('=') + 1) : word;
            if (value.startsWith("conf/")) {
                paths.add(value);
            }
        }
        return paths;
    }

    /** The arguments with each --config and --grid file resolved against the repository root, where the scripts run. */
    private static List<String> withRootConfigPaths(List<String> args) {
        List<String> resolved = new ArrayList<>(args);
        for (int i = 0; i + 1 < resolved.size(); i++) {
            if (resolved.get(i).equals("--config") || resolved.get(i).equals("--grid")) {
                resolved.set(i + 1, ROOT.resolve(resolved.get(i + 1)).toString());
            }
        }
        return resolved;
    }

    /** Option names of a picocli command's source, each with whether it takes a value (every type but boolean). */
    private static Map<String, Boolean> picocliOptions(String source) {
        Map<String, Boolean> options = new TreeMap<>();
        Matcher option = PICOCLI_OPTION.matcher(source);
        while (option.find()) {
            Matcher names = OPTION_NAMES.matcher(option.group(1));
            if (!names.find()) {
                continue;
            }
            boolean flag = option.group(2).equals("boolean") || option.group(2).equals("Boolean");
            Matcher name = QUOTED.matcher(names.group(1));
            while (name.find()) {
                options.put(name.group(1), !flag);
            }
        }
        if (source.contains("mixinStandardHelpOptions = true")) {
            options.put("--help", false);
            options.put("-h", false);
            options.put("--version", false);
            options.put("-V", false);
        }
        return options;
    }

    /** The main source file of a class in any module of the repository, or null. */
    private static Path sourceOf(String className) {
        String relative = "src/main/java/" + className.replace('.', '/') + ".java";
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(m -> m.resolve(relative)).filter(Files::isRegularFile).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
