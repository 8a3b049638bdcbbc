package org.sparkformer.driver.executor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task's end of the round channel cannot be held by a driver end that accepts the connection and then stays silent:
 * a read gives up after the address's timeout naming it, and a send the driver never takes gives up as well and
 * reports that the result must go through Spark.
 */
class RoundChannelClientTest {

    private static final long TIMEOUT_MS = 300;

    @Test
    void aReadFromADriverThatAcceptsAndNeverAnswersGivesUpAfterTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            ChannelProtocol.Address address = new ChannelProtocol.Address("127.0.0.1", silent.port(), 42L, TIMEOUT_MS);
            long start = System.nanoTime();

            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(IllegalStateException.class, () -> RoundChannelClient.readParams(address, 3)));

            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("partition 3 could not read the round's parameters from the driver at 127.0.0.1:" + silent.port()
                    + ": no progress reading (the peer sends nothing) for 300 ms (spark.network.timeout); raise it if the"
                    + " driver is busy, or set spark.sparkformer.channel=spark", e.getMessage());
            assertTrue(elapsedMs >= TIMEOUT_MS && elapsedMs < 10_000, "gave up after " + elapsedMs + " ms");
            assertEquals(1, silent.acceptedWithin(Duration.ofSeconds(5)), "the connection was accepted");
        }
    }

    @Test
    void aSendTheDriverNeverTakesGivesUpAfterTheTimeoutAndFallsBackToSpark() throws Exception {
        float[] params = new float[8 << 20]; // 32 MiB: more than the socket buffers hold, so the writes must wait
        try (SilentServer silent = new SilentServer()) {
            ChannelProtocol.Address address = new ChannelProtocol.Address("127.0.0.1", silent.port(), 42L, TIMEOUT_MS);
            long start = System.nanoTime();

            boolean sent = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> RoundChannelClient.send(address, 1, 7L, params, new float[0]));

            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertFalse(sent, "the result goes through Spark");
            assertTrue(elapsedMs >= TIMEOUT_MS && elapsedMs < 10_000, "gave up after " + elapsedMs + " ms");
            assertEquals(1, silent.acceptedWithin(Duration.ofSeconds(5)), "the connection was accepted");
        }
    }

    /**
     * A server on 127.0.0.1 that accepts connections and neither reads nor writes; it stops by itself after a minute
     * if the test does not close it first.
     */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::accept, "silent-server");
        private final long stopAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();

        SilentServer() throws IOException {
            server.setSoTimeout(200);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** Connections accepted, waiting up to {@code patience} for the first. */
        int acceptedWithin(Duration patience) throws InterruptedException {
            long until = System.nanoTime() + patience.toNanos();
            while (held.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            return held.size();
        }

        private void accept() {
            while (!server.isClosed() && System.nanoTime() < stopAt) {
                try {
                    held.add(server.accept());
                } catch (java.net.SocketTimeoutException e) {
                    // look at the clock again
                } catch (IOException e) {
                    break;
                }
            }
            closeAll();
        }

        private void closeAll() {
            for (Socket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        @Override
        public void close() throws InterruptedException {
            closeAll();
            acceptor.join(5_000);
        }
    }
}
