package org.sparkformer.notebook;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Evaluates cells with a JShell that runs in this JVM (so that a cell's value is the object itself, shown by
 * {@link Displays}) and compiles against this JVM's class path. A cell holds any number of snippets (declarations,
 * statements, expressions); its value is that of its last snippet when that is an expression without a closing
 * semicolon (with one it is a statement and shows nothing, so that {@code System.out.printf(...);} does not show the
 * stream it returns). A cell that does not compile or throws raises a {@link CellException}; the snippets before the
 * failing one stay defined, and the next cell is evaluated as usual.
 */
public final class CellEvaluator implements AutoCloseable {

    /** What every cell sees without importing it. */
    static final List<String> IMPORTS = List.of(
            "import java.util.*;",
            "import java.util.stream.*;",
            "import java.nio.file.*;",
            "import org.apache.spark.sql.Dataset;",
            "import org.apache.spark.sql.Row;",
            "import org.apache.spark.sql.SparkSession;",
            "import static org.sparkformer.notebook.Notebook.*;");

    /** A cell whose last snippet has no value (a declaration, a statement, a void call). */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "(no value)";
        }
    };

    private final JShell shell;
    private final ClassLoader cellLoader;

    public CellEvaluator() {
        shell = JShell.builder().executionEngine("local").build();
        String classPath = System.getProperty("java.class.path", "");
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        for (String line : IMPORTS) {
            eval(line);
        }
        // the loader of the cells' classes: threads started from a cell (Spark's among them) find classes declared in cells
        Object probe = eval("new Object() { }");
        cellLoader = probe.getClass().getClassLoader();
    }

    /** Evaluates the cell's source; returns the value of its last expression, or {@link #NO_VALUE}. */
    public Object eval(String cell) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (cellLoader != null) {
            thread.setContextClassLoader(cellLoader);
        }
        try {
            return evalSnippets(cell);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Object evalSnippets(String cell) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = cell;
        Object value = NO_VALUE;
        while (!rest.isBlank()) {
            int start = cell.length() - rest.length() + leadingWhitespace(rest);
            int line = 1 + count(cell.substring(0, start), '\n');
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
                    || info.completeness() == SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE) {
                throw new CellException("IncompleteCell", "line " + line + ": the cell ends inside a statement: "
                        + firstLine(rest), null);
            }
            rest = info.remaining();
            value = evalSnippet(info.source(), line);
            if (closedBySemicolon(info.source())) {
                value = NO_VALUE; // an expression ended with ';' is a statement: nothing to show
            }
        }
        return value;
    }

    /** Evaluates one snippet; returns its value when it is an expression, else {@link #NO_VALUE}. */
    private Object evalSnippet(String source, int line) {
        List<SnippetEvent> events = shell.eval(source);
        String valueName = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // a dependent snippet updated by this one
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                throw new CellException("CompileError", compileErrors(snippet, line), null);
            }
            if (event.exception() != null) {
                throw thrown(event.exception(), line);
            }
            if (event.status() == Snippet.Status.RECOVERABLE_DEFINED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                List<String> missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet)
                        .collect(Collectors.toList());
                throw new CellException("CompileError", "line " + line + ": cannot find " + String.join(", ", missing),
                        null);
            }
            if (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                valueName = v.name();
            } else if (snippet instanceof ExpressionSnippet e && e.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
                valueName = e.name();
            }
        }
        return valueName == null ? NO_VALUE : read(valueName);
    }

    /** The object a variable of the cells holds, passed out through {@link CellValues}. */
    private Object read(String name) {
        List<SnippetEvent> events = shell.eval(CellValues.class.getName() + ".keep(" + name + ");");
        for (SnippetEvent event : events) {
            if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
                return NO_VALUE;
            }
        }
        events.forEach(event -> shell.drop(event.snippet()));
        return CellValues.take();
    }

    private String compileErrors(Snippet snippet, int line) {
        String source = snippet.source();
        List<String> messages = new ArrayList<>();
        shell.diagnostics(snippet).filter(Diag::isError).forEach(diag -> {
            int at = (int) Math.max(0, Math.min(diag.getStartPosition(), source.length()));
            int errorLine = line + count(source.substring(Math.min(at, leadingWhitespace(source)), at), '\n');
            int lineStart = source.lastIndexOf('\n', at - 1) + 1;
            int lineEnd = source.indexOf('\n', at);
            String text = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            messages.add("line " + errorLine + ": " + diag.getMessage(Locale.ROOT) + "\n    " + text + "\n    "
                    + " ".repeat(Math.max(0, at - lineStart)) + "^");
        });
        return messages.isEmpty() ? "line " + line + ": the snippet does not compile: " + firstLine(source)
                : String.join("\n", messages);
    }

    private static CellException thrown(JShellException e, int line) {
        if (e instanceof UnresolvedReferenceException u) {
            return new CellException("CompileError", "line " + line + ": " + u.getSnippet().source().strip()
                    + " uses a declaration that is not defined yet", null);
        }
        String name = e instanceof EvalException ev ? ev.getExceptionClassName() : e.getClass().getName();
        StringBuilder message = new StringBuilder(name + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            String causeName = cause instanceof EvalException ev ? ev.getExceptionClassName() : cause.getClass().getName();
            message.append("\nCaused by: ").append(causeName)
                    .append(cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        StackTraceElement[] frames = Arrays.stream(e.getStackTrace())
                .takeWhile(f -> !f.getClassName().startsWith("jdk.internal.reflect")
                        && !f.getClassName().startsWith("java.lang.reflect"))
                .toArray(StackTraceElement[]::new);
        return new CellException(name, message.toString(), frames);
    }

    /** Completion candidates at {@code cursor}, for the notebook's tab key. */
    public List<String> complete(String code, int cursor, int[] anchor) {
        List<SourceCodeAnalysis.Suggestion> suggestions = shell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor);
        return suggestions.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().collect(Collectors.toList());
    }

    /** Whether the code is complete: "complete", "incomplete" or "invalid". */
    public String completeness(String code) {
        SourceCodeAnalysis.Completeness c = shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        return switch (c) {
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> "complete";
            case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> "incomplete";
            default -> "invalid";
        };
    }

    /** Stops the cell that is running (an interrupt from the notebook). */
    public void stop() {
        shell.stop();
    }

    @Override
    public void close() {
        shell.close();
    }

    /** Whether a snippet ends with ';' (a trailing line comment aside). */
    static boolean closedBySemicolon(String source) {
        String s = source.strip();
        int lastLine = s.lastIndexOf('\n') + 1;
        int comment = s.indexOf("//", lastLine);
        if (comment >= 0) {
            s = s.substring(0, comment).strip();
        }
        return s.endsWith(";");
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " ...";
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
