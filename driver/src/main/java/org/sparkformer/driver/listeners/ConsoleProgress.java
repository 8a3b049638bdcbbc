package org.sparkformer.driver.listeners;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on the terminal: {@code train  [#########---------------]  15/40 rounds  37%  ETA 2m10s}.
 * It is drawn only when the process runs on a terminal ({@link System#console()} is not null: standard input and
 * output are a terminal), through the console's own writer, so it never reaches a redirected output, a log file or
 * CI. Elsewhere {@link #onTerminal()} is off and draws nothing; the log lines are the same either way.
 * <p>
 * The bar is redrawn in place (carriage return, then erase to the end of the line) and leaves the cursor at the start
 * of its line, so that a log line written after it replaces it; {@link #clear()} erases it before a log line that
 * must not share its line.
 */
public final class ConsoleProgress {

    /** Characters of the bar between its brackets. */
    static final int WIDTH = 24;
    private static final String ERASE_LINE = "\r\u001b[K";

    private final PrintWriter terminal;
    private String shown;

    private ConsoleProgress(PrintWriter terminal) {
        this.terminal = terminal;
    }

    /** The bar on this process's terminal, or an inactive one when there is none. */
    public static ConsoleProgress onTerminal() {
        Console console = System.console();
        return new ConsoleProgress(console == null ? null : console.writer());
    }

    /** A bar drawn on {@code out}; inactive when {@code out} is null. */
    static ConsoleProgress to(PrintWriter out) {
        return new ConsoleProgress(out);
    }

    /** True when the bar is drawn (there is a terminal). */
    public boolean active() {
        return terminal != null;
    }

    /** Draws {@link #render} of these figures in place of the bar shown so far. */
    public synchronized void show(String label, long done, long total, String unit, long etaNanos) {
        if (terminal == null) {
            return;
        }
        shown = render(label, done, total, unit, etaNanos);
        terminal.print(ERASE_LINE + shown + "\r");
        terminal.flush();
    }

    /** Erases the bar, if one is shown. */
    public synchronized void clear() {
        if (terminal == null || shown == null) {
            return;
        }
        terminal.print(ERASE_LINE);
        terminal.flush();
        shown = null;
    }

    /** Draws the bar last shown again, e.g. after a log line replaced it. */
    public synchronized void redraw() {
        if (terminal == null || shown == null) {
            return;
        }
        terminal.print(ERASE_LINE + shown + "\r");
        terminal.flush();
    }

    /**
     * The bar's text: the label, {@value #WIDTH} characters filled in proportion to {@code done} of {@code total},
     * the count and unit, the percentage and, once something is done, the time still to go ({@code ETA ?} before).
     * A total of 0 or less draws an empty bar.
     */
    public static String render(String label, long done, long total, String unit, long etaNanos) {
        double fraction = total <= 0 ? 0 : Math.min(1, Math.max(0, (double) done / total));
        int filled = (int) Math.floor(fraction * WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String eta = done <= 0 ? "?" : done >= total ? "0s" : ProgressLogger.duration(etaNanos);
        return String.format(Locale.ROOT, "%s  [%s]  %d/%d %s  %3d%%  ETA %s", label, bar, done, total, unit,
                (int) Math.floor(fraction * 100), eta);
    }
}
