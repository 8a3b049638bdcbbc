package org.sparkformer.driver.listeners;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Logs one line per round:
 * {@code round 3/40  loss 4.21  12,345 tok/s  ETA 2m10s  (broadcast 0.1s, compute 3.2s, aggregate 0.2s)},
 * and one per evaluation. On a terminal it also keeps a {@link ConsoleProgress} bar of the rounds below the log
 * lines ({@code train  [###---...]  3/40 rounds  7%  ETA 2m10s}), erased before each of its own lines and drawn again
 * after; without a terminal there is no bar and the log lines are the same.
 */
public final class ProgressLogger implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);

    private final ConsoleProgress bar;

    /** Logs, with a bar when the process runs on a terminal. */
    public ProgressLogger() {
        this(ConsoleProgress.onTerminal());
    }

    ProgressLogger(ConsoleProgress bar) {
        this.bar = bar;
    }

    @Override
    public void onRoundEnd(TrainingState s) {
        bar.clear();
        LOG.info(roundLine(s));
        bar.show("train", s.round(), s.totalRounds(), "rounds", s.etaNanos());
    }

    @Override
    public void onEvaluate(TrainingState s) {
        bar.clear();
        LOG.info(String.format(Locale.ROOT, "round %d/%d  validation %.4f  (best %.4f at round %d)", s.round(),
                s.totalRounds(), s.validationMetric(), s.bestMetric(), s.bestRound()));
        bar.redraw();
    }

    @Override
    public void onTrainEnd(TrainingState s) {
        bar.clear();
        LOG.info("training finished after {} of {} rounds in {}{}", s.round(), s.totalRounds(), duration(s.elapsedNanos()),
                s.shouldStop() ? " (stopped: " + s.stopReason() + ")" : "");
    }

    /** The progress line for the state's latest round. */
    public static String roundLine(TrainingState s) {
        return String.format(Locale.ROOT, "round %d/%d  loss %.2f  %,d tok/s  ETA %s  (broadcast %.1fs, compute %.1fs, aggregate %.1fs)",
                s.round(), s.totalRounds(), s.loss(), Math.round(s.tokensPerSecond()), duration(s.etaNanos()),
                s.broadcastNanos() / 1e9, s.computeNanos() / 1e9, s.aggregateNanos() / 1e9);
    }

    /** 2h05m, 2m10s or 42s. */
    static String duration(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }
}
