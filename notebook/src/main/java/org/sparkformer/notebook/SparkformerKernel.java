package org.sparkformer.notebook;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Jupyter kernel: {@code java ... org.sparkformer.notebook.SparkformerKernel <connection file>}, as the kernel
 * spec that {@code scripts/notebook} installs launches it. Cells are Java, evaluated by {@link CellEvaluator}; their
 * values are shown by {@link Displays}. A cell that fails shows the error in its output; the kernel keeps running.
 */
public final class SparkformerKernel extends BaseKernel {

    public static final String NAME = "sparkformer";
    /** Frames of a failed cell's stack shown under its message, besides the cell's own. */
    static final int SHOWN_FRAMES = 12;

    private final CellEvaluator cells;

    private SparkformerKernel(String name, String version, org.dflib.jjava.jupyter.kernel.history.HistoryManager history,
                              org.dflib.jjava.jupyter.kernel.JupyterIO io, org.dflib.jjava.jupyter.kernel.comm.CommManager comms,
                              org.dflib.jjava.jupyter.kernel.display.Renderer renderer,
                              org.dflib.jjava.jupyter.kernel.magic.MagicParser magics,
                              org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry registry,
                              org.dflib.jjava.jupyter.kernel.util.StringStyler errors, CellEvaluator cells) {
        super(name, version,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".jshell", "java", "java", null),
                List.of(), history, io, comms, renderer, magics, registry, false, errors);
        this.cells = cells;
    }

    /** Builds the kernel around a fresh {@link CellEvaluator}. */
    public static SparkformerKernel create() {
        return new Builder().name(NAME).version(version()).extensionsEnabled(false).build();
    }

    @Override
    public Object evalRaw(String source) {
        return cells.eval(source);
    }

    @Override
    public DisplayData eval(String source) {
        return Displays.render(cells.eval(source));
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> options = cells.complete(code, at, anchor);
        return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        return switch (cells.completeness(code)) {
            case "complete" -> IS_COMPLETE_YES;
            case "incomplete" -> "    ";
            default -> IS_COMPLETE_BAD;
        };
    }

    @Override
    public void interrupt() {
        cells.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        cells.close();
    }

    /** The error as the cell shows it: what failed and where, then the cell's own frames, without the kernel's. */
    @Override
    public List<String> formatError(Throwable e) {
        List<String> lines = new ArrayList<>();
        if (e instanceof CellException c) {
            for (String line : StringStyler.splitLines(c.getMessage())) {
                lines.add(errorStyler.primary(line));
            }
            StackTraceElement[] frames = c.getStackTrace();
            int skipped = 0;
            for (int i = 0; i < frames.length; i++) {
                // JShell reports the frames of the cells' code with an empty class name (REPL.* in Spark's own traces)
                boolean cell = frames[i].getClassName().isEmpty() || frames[i].getClassName().startsWith("REPL.");
                if (i < SHOWN_FRAMES || cell) {
                    if (skipped > 0) {
                        lines.add(errorStyler.secondary("    ... " + skipped + " more"));
                        skipped = 0;
                    }
                    String method = frames[i].getMethodName();
                    lines.add(errorStyler.secondary(!cell ? "    at " + frames[i]
                            : method.isEmpty() || method.equals("do_it$") ? "    at the cell"
                            : "    at " + method + " (declared in a cell)"));
                } else {
                    skipped++;
                }
            }
            if (skipped > 0) {
                lines.add(errorStyler.secondary("    ... " + skipped + " more"));
            }
            return lines;
        }
        return super.formatError(e);
    }

    private static String version() {
        String v = SparkformerKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SparkformerKernel <connection file>");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(properties);
        SparkformerKernel kernel = create();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }

    private static final class Builder extends BaseKernelBuilder<Builder, SparkformerKernel> {
        @Override
        public SparkformerKernel build() {
            return new SparkformerKernel(buildName(), buildVersion(), buildHistoryManager(),
                    buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(), magicParser,
                    buildMagicsRegistry(), buildErrorStyler(), new CellEvaluator());
        }
    }
}
