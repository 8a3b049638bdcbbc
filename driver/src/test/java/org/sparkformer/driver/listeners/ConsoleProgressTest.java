package org.sparkformer.driver.listeners;

import org.junit.jupiter.api.Test;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.checkpoint.MetricGoal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ConsoleProgressTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String ERASE = "\r\u001b[K";

    private static RoundResult round() {
        return new RoundResult(new float[0], new float[0], 100, 421, 100, 12_345, 2, 2,
                SECOND / 10, SECOND * 7 / 10, SECOND / 5, SECOND, 0, 0);
    }

    @Test
    void theBarFillsInProportionAndShowsCountPercentageAndEta() {
        assertEquals("train  [#########---------------]  15/40 rounds   37%  ETA 2m10s",
                ConsoleProgress.render("train", 15, 40, "rounds", 130 * SECOND));
        assertEquals("tokenize  [------------------------]  0/48 tasks    0%  ETA ?",
                ConsoleProgress.render("tokenize", 0, 48, "tasks", 0));
        assertEquals("train  [########################]  40/40 rounds  100%  ETA 0s",
                ConsoleProgress.render("train", 40, 40, "rounds", 0));
        assertEquals("tokenize  [------------------------]  0/0 tasks    0%  ETA ?",
                ConsoleProgress.render("tokenize", 0, 0, "tasks", 0), "nothing submitted yet");
    }

    @Test
    void onATerminalTheRoundBarIsDrawnInPlaceBelowTheLogLinesAndErasedAtTheEnd() {
        StringWriter terminal = new StringWriter();
        ProgressLogger logger = new ProgressLogger(ConsoleProgress.to(new PrintWriter(terminal)));
        TrainingState s = new TrainingState(40, MetricGoal.MAXIMIZE);
        s.afterRound(3, round(), 10 * SECOND);
        logger.onRoundEnd(s);
        String bar = "train  [#-----------------------]  3/40 rounds    7%  ETA 2m03s";
        assertEquals(ERASE + bar + "\r", terminal.toString(), "drawn in place, the cursor left at its start");

        s.afterRound(4, round(), 12 * SECOND);
        logger.onRoundEnd(s);
        String next = "train  [##----------------------]  4/40 rounds   10%  ETA 1m48s";
        assertEquals(ERASE + bar + "\r" + ERASE + ERASE + next + "\r", terminal.toString(),
                "erased before the round's log line, then drawn again");

        logger.onTrainEnd(s);
        assertEquals(ERASE + bar + "\r" + ERASE + ERASE + next + "\r" + ERASE, terminal.toString(),
                "erased when training ends");
    }

    @Test
    void withoutATerminalNothingIsDrawn() {
        assumeTrue(System.console() == null, "this JVM runs on a terminal");
        ConsoleProgress bar = ConsoleProgress.onTerminal();
        assertFalse(bar.active());
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProgressLogger logger = new ProgressLogger();
            TrainingState s = new TrainingState(4, MetricGoal.MAXIMIZE);
            for (int r = 1; r <= 4; r++) {
                s.afterRound(r, round(), r * SECOND);
                logger.onRoundEnd(s);
            }
            logger.onTrainEnd(s);
            try (TaskProgress progress = TaskProgress.open(TestClusters.spark().sparkContext(), "tokenize")) {
                TestClusters.jsc().parallelize(java.util.List.of(1, 2, 3), 3).count();
            }
        } finally {
            System.setOut(out);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }
}
