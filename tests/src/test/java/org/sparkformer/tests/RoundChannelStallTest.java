package org.sparkformer.tests;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.listeners.TrainingListener;
import org.sparkformer.driver.listeners.TrainingState;
import org.sparkformer.driver.training.TrainingOutcome;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle connections to the driver's round channel, held open without a word by someone on the network, cannot hold a
 * round: the rounds finish as fast as without them, on the channel, with the same parameters.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class RoundChannelStallTest {

    private static final int IDLE_CONNECTIONS = 8;
    private static final long HOLD_SECONDS = 150;

    @Test
    void idleConnectionsToTheRoundChannelDoNotStallTheRounds() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        var sc = TestBed.sparkWith("spark.sparkformer.channel.port", Integer.toString(port)).sparkContext();
        sc.setLocalProperty("spark.sparkformer.channel", "direct");
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 11), 2);
        AtomicBoolean done = new AtomicBoolean();
        Thread holder = new Thread(() -> holdIdleConnections(port, done), "idle-connections");
        try {
            TrainingOutcome quiet = TestBed.trainDirectly(config, data, rdd -> rdd);
            holder.start();
            ChannelUse use = new ChannelUse();
            long t0 = System.nanoTime();
            TrainingOutcome stalled = TestBed.trainDirectly(config, data, rdd -> rdd, use);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

            assertTrue(seconds < 60, "the rounds took " + seconds + " s with idle connections held for " + HOLD_SECONDS + " s");
            assertTrue(use.results > 0, "the results came back on the round channel");
            assertArrayEquals(quiet.params(), stalled.params(), "parameters bit-identical");
        } finally {
            done.set(true);
            holder.join(10_000);
            sc.setLocalProperty("spark.sparkformer.channel", null);
            TestBed.stopSpark();
        }
    }

    /** Keeps {@link #IDLE_CONNECTIONS} silent connections open to {@code port} (reopening closed ones) until done. */
    private static void holdIdleConnections(int port, AtomicBoolean done) {
        List<Socket> held = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
        try {
            while (!done.get() && System.nanoTime() < until) {
                held.removeIf(s -> {
                    try {
                        s.setSoTimeout(1);
                        return s.getInputStream().read() < 0;
                    } catch (java.net.SocketTimeoutException e) {
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                });
                IdleConnections.topUp(held, port, IDLE_CONNECTIONS);
                Thread.sleep(20);
            }
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        } finally {
            IdleConnections.closeAll(held);
        }
    }

    /** Results that came back on the round channel. */
    static final class ChannelUse implements TrainingListener {
        long results;

        @Override
        public void onRoundEnd(TrainingState state) {
            results = state.resultsOnChannel();
        }
    }
}
