package org.sparkformer.driver.listeners;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.checkpoint.Checkpoint;
import org.sparkformer.driver.checkpoint.CheckpointState;
import org.sparkformer.driver.checkpoint.CheckpointStore;
import org.sparkformer.driver.checkpoint.MetricGoal;
import org.sparkformer.kernels.io.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenersTest {

    private static final long SECOND = 1_000_000_000L;

    /** A round of 12,345 tokens over one second of wall time, loss 4.21. */
    private static RoundResult round() {
        return new RoundResult(new float[0], new float[0], 100, 421, 100, 12_345, 2, 2,
                SECOND / 10, SECOND * 7 / 10, SECOND / 5, SECOND, 0, 0);
    }

    @Test
    void progressLineShowsLossThroughputEtaAndTimings() {
        TrainingState s = new TrainingState(40, MetricGoal.MAXIMIZE);
        s.afterRound(3, round(), 10 * SECOND);
        assertEquals("round 3/40  loss 4.21  12,345 tok/s  ETA 2m03s  (broadcast 0.1s, compute 0.7s, aggregate 0.2s)",
                ProgressLogger.roundLine(s));
        assertEquals("2h05m", ProgressLogger.duration(7500 * SECOND));
        assertEquals("42s", ProgressLogger.duration(42 * SECOND));
    }

    @Test
    void earlyStoppingStopsAfterPatienceEvaluationsWithoutImprovement() {
        TrainingState s = new TrainingState(100, MetricGoal.MAXIMIZE);
        EarlyStopping stopping = new EarlyStopping(2);
        double[] metrics = {0.5, 0.6, 0.55, 0.6, 0.58};
        for (int i = 0; i < metrics.length; i++) {
            s.afterRound(i + 1, round(), SECOND);
            s.recordValidation(metrics[i]);
            stopping.onEvaluate(s);
            if (i < 3) {
                assertFalse(s.shouldStop(), "round " + (i + 1));
            }
        }
        assertTrue(s.shouldStop());
        assertEquals(0.6, s.bestMetric());
        assertEquals(2, s.bestRound());
        assertEquals("no validation improvement in 2 evaluations (best 0.6 at round 2)", s.stopReason());
    }

    @Test
    void checkpointListenerWritesEveryKRoundsOnStopAndAtTheEnd(@TempDir java.nio.file.Path tmp) throws Exception {
        CheckpointStore store = new CheckpointStore(FileSystem.getLocal(TestClusters.localConf()),
                new Path(tmp.toUri()), 10, MetricGoal.MAXIMIZE);
        CheckpointListener listener = new CheckpointListener(store, 3, s -> new Checkpoint(
                new CheckpointState(s.round(), s.round(), 1, 0, new long[0], s.round(), null, null, -1),
                List.of(new Tensor("params", new long[]{1}, new float[]{s.round()})), List.of()));
        TrainingState s = new TrainingState(10, MetricGoal.MAXIMIZE);
        for (int r = 1; r <= 7; r++) {
            s.afterRound(r, round(), r * SECOND);
            if (r == 5) {
                s.requestStop("test");
            }
            listener.onRoundEnd(s);
        }
        listener.onTrainEnd(s);
        assertEquals(List.of(3, 5, 6, 7), store.roundDirectories());
    }
}
