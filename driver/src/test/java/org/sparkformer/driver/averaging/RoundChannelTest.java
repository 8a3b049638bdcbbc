package org.sparkformer.driver.averaging;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.sparkformer.driver.executor.ChannelAuth;
import org.sparkformer.driver.executor.ChannelProtocol;
import org.sparkformer.driver.executor.PackedFloats;
import org.sparkformer.driver.executor.RoundChannelClient;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundChannelTest {

    /** More than one transfer chunk each. */
    private static final int PARAMS = 300_000;
    private static final int STATE = 600_000;

    private static SparkConf loopback() {
        return new SparkConf(false).set("spark.driver.host", "127.0.0.1");
    }

    private static float[] values(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static RoundChannel open(int params, int state) {
        RoundChannel channel = RoundChannel.open(loopback(), new float[params], new float[state], 4);
        assertNotNull(channel);
        return channel;
    }

    @Test
    void tasksWaitOnTheChannelAsLongAsSparksNetworkTimeoutAndNoLonger() {
        try (RoundChannel defaults = open(10, 0);
             RoundChannel set = RoundChannel.open(loopback().set("spark.network.timeout", "7s"), new float[10],
                     new float[0], 4)) {
            assertEquals(120_000, defaults.address().timeoutMs(), "Spark's default");
            assertNotNull(set);
            assertEquals(7_000, set.address().timeoutMs());
        }
    }

    @Test
    void tasksReadTheStartingArraysBitForBit() {
        float[] params = values(PARAMS, 1);
        float[] state = values(STATE, 2);
        params[0] = -0.0f;
        state[STATE - 1] = Float.MIN_VALUE;
        try (RoundChannel channel = RoundChannel.open(loopback(), params, state, 4)) {
            assertNotNull(channel);
            assertArrayEquals(params, RoundChannelClient.readParams(channel.address(), 0));
            assertArrayEquals(state, RoundChannelClient.readState(channel.address(), 1));
        }
    }

    @Test
    void aResultSentByATaskIsTakenBackBitForBit() {
        float[] params = values(PARAMS, 3);
        float[] state = values(STATE, 4);
        params[1] = Float.MAX_VALUE;
        try (RoundChannel channel = open(PARAMS, STATE)) {
            assertTrue(RoundChannelClient.send(channel.address(), 3, 17L, params, state));
            PackedFloats taken = channel.take(3, 17L);
            assertArrayEquals(params, taken.unpack(0));
            assertArrayEquals(state, taken.unpack(1));
        }
    }

    @Test
    void manyTasksReadingAtOnceAllGetTheParameters() throws Exception {
        float[] params = values(100_000, 5);
        int tasks = 40;
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try (RoundChannel channel = RoundChannel.open(loopback(), params, new float[0], 40)) {
            List<Future<float[]>> reads = new ArrayList<>();
            for (int p = 0; p < tasks; p++) {
                int partition = p;
                reads.add(pool.submit(() -> RoundChannelClient.readParams(channel.address(), partition)));
            }
            for (Future<float[]> read : reads) {
                assertArrayEquals(params, read.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstResultAcceptedForAPartitionIsFinal() {
        try (RoundChannel channel = open(5, 0)) {
            assertTrue(RoundChannelClient.send(channel.address(), 0, 1L, new float[]{1, 1, 1, 1, 1}, new float[0]));
            assertFalse(RoundChannelClient.send(channel.address(), 0, 2L, new float[]{2, 2, 2, 2, 2}, new float[0]),
                    "a second send for partition 0 is refused: its task sends through Spark");
            assertArrayEquals(new float[]{1, 1, 1, 1, 1}, channel.take(0, 1L).unpack(0));
            assertThrows(IllegalStateException.class, () -> channel.take(0, 2L));
        }
    }

    @Test
    void onlyARunningAttemptSparkLaunchedForThePartitionIsTakenAndEveryOtherResultIsRefusedCountedAndNotStored() {
        LaunchedAttempts launched = LaunchedAttempts.reportedByHand();
        launched.launched(0, 40L);
        launched.launched(1, 41L);
        launched.launched(1, 43L);
        launched.ended(43L);
        float[] genuine = {1, 2, 3, 4, 5};
        try (RoundChannel channel = RoundChannel.open(loopback(), null, new float[5], new float[0], 2, launched)) {
            assertNotNull(channel);
            ChannelProtocol.Address a = channel.address();
            assertFalse(RoundChannelClient.send(a, 0, 42L, new float[5], new float[0]), "an attempt Spark never launched");
            assertFalse(RoundChannelClient.send(a, 0, 41L, new float[5], new float[0]), "partition 1's attempt for 0");
            assertFalse(RoundChannelClient.send(a, 1, 43L, new float[5], new float[0]), "an attempt that has ended");
            assertEquals(3, channel.refusedResults());

            assertTrue(RoundChannelClient.send(a, 0, 40L, genuine, new float[0]), "the launched attempt of partition 0");
            assertFalse(RoundChannelClient.send(a, 0, 40L, new float[5], new float[0]), "a duplicate of the same attempt");
            assertEquals(4, channel.refusedResults());

            assertArrayEquals(genuine, channel.take(0, 40L).unpack(0), "the first accepted result, not the duplicate");
            for (long refused : new long[]{42L, 41L}) {
                assertThrows(IllegalStateException.class, () -> channel.take(0, refused), "nothing kept of " + refused);
            }
            assertThrows(IllegalStateException.class, () -> channel.take(1, 43L));
        }
    }

    @Test
    void aResultForAPartitionOutsideTheRoundIsRefusedSoARoundAllocatesOneBufferPerPartition() {
        try (RoundChannel channel = open(5, 0)) {
            assertFalse(RoundChannelClient.send(channel.address(), 4, 1L, new float[5], new float[0]));
            assertFalse(RoundChannelClient.send(channel.address(), -1, 1L, new float[5], new float[0]));
            assertTrue(RoundChannelClient.send(channel.address(), 3, 1L, new float[5], new float[0]));
        }
    }

    @Test
    void idleConnectionsHoldNoHandlerAndAreClosedAtTheirDeadline() throws Exception {
        float[] params = values(1000, 9);
        List<java.nio.channels.SocketChannel> idle = new ArrayList<>();
        try (RoundChannel channel = RoundChannel.open(loopback(), params, new float[0], 2)) {
            ChannelProtocol.Address a = channel.address();
            for (int i = 0; i < 32; i++) {
                idle.add(java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress(a.host(), a.port())));
            }
            long t0 = System.nanoTime();
            assertArrayEquals(params, RoundChannelClient.readParams(a, 0));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis < RoundChannel.REQUEST_TIMEOUT_MS, "read past 32 idle connections in " + millis + " ms");

            idle.get(0).socket().setSoTimeout((int) RoundChannel.REQUEST_TIMEOUT_MS * 3);
            int got = idle.get(0).socket().getInputStream().read();
            assertEquals(-1, got, "the driver closed the idle connection");
        } finally {
            for (var s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aRequestWithoutTheRoundsTokenGetsNothing() {
        try (RoundChannel channel = open(5, 0)) {
            ChannelProtocol.Address real = channel.address();
            ChannelProtocol.Address forged = new ChannelProtocol.Address(real.host(), real.port(), real.token() + 1,
                    real.timeoutMs());
            assertFalse(RoundChannelClient.send(forged, 0, 1L, new float[5], new float[0]));
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> channel.take(0, 1L));
            assertTrue(missing.getMessage().contains("partition 0 (task attempt 1)"), missing.getMessage());
            IllegalStateException read = assertThrows(IllegalStateException.class,
                    () -> RoundChannelClient.readParams(forged, 2));
            assertTrue(read.getMessage().contains("partition 2 could not read the round's parameters from the driver at "
                    + real.host() + ":" + real.port()), read.getMessage());
        }
    }

    @Test
    void aResultOfUnexpectedLengthIsRefusedSoTheTaskSendsItThroughSpark() {
        try (RoundChannel channel = open(5, 2)) {
            assertFalse(RoundChannelClient.send(channel.address(), 0, 1L, new float[4], new float[2]));
            assertFalse(RoundChannelClient.send(channel.address(), 0, 1L, new float[5], new float[3]));
            assertThrows(IllegalStateException.class, () -> channel.take(0, 1L));
        }
    }

    @Test
    void aClosedChannelMakesTheSenderFallBackAndTheReaderNameTheSetting() {
        RoundChannel channel = open(5, 0);
        ChannelProtocol.Address address = channel.address();
        channel.close();
        assertFalse(RoundChannelClient.send(address, 0, 1L, new float[5], new float[0]));
        IllegalStateException read = assertThrows(IllegalStateException.class,
                () -> RoundChannelClient.readState(address, 0));
        assertTrue(read.getMessage().contains("spark.sparkformer.channel=spark"), read.getMessage());
    }

    @Test
    void sparksPathOrEncryptionOpensNoChannelUnlessDirectIsAskedForAndAuthenticationKeepsItOn() {
        float[] none = new float[0];
        assertNull(RoundChannel.open(loopback().set(ChannelProtocol.MODE_KEY, "spark"), none, none, 1));
        assertNull(RoundChannel.open(authenticated(SECRET).set("spark.network.crypto.enabled", "true"), none, none, 1),
                "the channel does not encrypt: an encrypting cluster's rounds go through Spark");
        assertNull(RoundChannel.open(loopback().set("spark.authenticate", "true"), none, none, 1),
                "no secret to authenticate with: through Spark");
        try (RoundChannel secured = RoundChannel.open(authenticated(SECRET), none, none, 1)) {
            assertNotNull(secured, "spark.authenticate alone keeps the channel on, authenticated");
            assertTrue(secured.address().authenticated());
            assertFalse(secured.address().toString().contains(SECRET), "the secret does not travel");
        }
        try (RoundChannel plain = open(1, 0)) {
            assertFalse(plain.address().authenticated());
        }
        try (RoundChannel forced = RoundChannel.open(authenticated(SECRET).set("spark.network.crypto.enabled", "true")
                .set(ChannelProtocol.MODE_KEY, "Direct"), none, none, 1)) {
            assertNotNull(forced);
            assertTrue(forced.address().authenticated());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RoundChannel.open(loopback().set(ChannelProtocol.MODE_KEY, "socket"), none, none, 1));
        assertTrue(bad.getMessage().contains(
                "spark.sparkformer.channel must be 'auto', 'direct' or 'spark', got 'socket'"), bad.getMessage());
    }

    private static final String SECRET = "the-application-secret";

    private static SparkConf authenticated(String secret) {
        return loopback().set("spark.authenticate", "true").set("spark.authenticate.secret", secret);
    }

    @Test
    void aClientWithTheWrongSecretIsRefusedAndTheRoundStillCompletesWithTheRightClients() {
        float[] params = values(PARAMS, 21);
        float[] state = values(STATE, 22);
        ChannelAuth right = ChannelAuth.fromSecret(SECRET);
        ChannelAuth wrong = ChannelAuth.fromSecret(SECRET + "x");
        try (RoundChannel channel = RoundChannel.open(authenticated(SECRET), params, state, 2)) {
            assertNotNull(channel);
            ChannelProtocol.Address a = channel.address();

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RoundChannelClient.readParams(a, wrong, 0));
            assertEquals("partition 0 could not read the round's parameters from the driver at " + a.host() + ":"
                    + a.port() + ": the driver's end and this executor do not share Spark's authentication secret"
                    + " (spark.authenticate.secret)", refused.getMessage());
            assertFalse(RoundChannelClient.send(a, wrong, 0, 1L, params, state), "a result with the wrong secret");
            ChannelProtocol.Address unauthenticated = new ChannelProtocol.Address(a.host(), a.port(), a.token(),
                    a.timeoutMs());
            assertFalse(RoundChannelClient.send(unauthenticated, 0, 1L, params, state), "a result with the token only");
            assertThrows(IllegalStateException.class, () -> RoundChannelClient.readParams(unauthenticated, 0));

            assertArrayEquals(params, RoundChannelClient.readParams(a, right, 0));
            assertArrayEquals(params, RoundChannelClient.readParams(a, right, 1));
            float[] p0 = values(PARAMS, 23);
            float[] s0 = values(STATE, 24);
            assertTrue(RoundChannelClient.send(a, right, 0, 5L, p0, s0));
            assertTrue(RoundChannelClient.send(a, right, 1, 6L, params, state));
            PackedFloats taken = channel.take(0, 5L);
            assertArrayEquals(p0, taken.unpack(0));
            assertArrayEquals(s0, taken.unpack(1));
            assertArrayEquals(state, channel.take(1, 6L).unpack(1));
            assertThrows(IllegalStateException.class, () -> channel.take(0, 1L), "nothing kept of the refused sends");
        }
    }

    @Test
    void aPeerThatAnswersTheChallengeWithoutTheSecretIsClosedBeforeItsRequestIsServed() throws Exception {
        try (RoundChannel channel = RoundChannel.open(authenticated(SECRET), values(10, 25), new float[0], 1);
             java.nio.channels.SocketChannel peer = java.nio.channels.SocketChannel.open(
                     new java.net.InetSocketAddress(channel.address().host(), channel.address().port()))) {
            ByteBuffer hello = ByteBuffer.allocate(ChannelAuth.HELLO_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(ChannelAuth.HELLO_MAGIC).put(new byte[ChannelAuth.NONCE_BYTES]).flip();
            peer.write(hello);
            ByteBuffer challenge = ByteBuffer.allocate(ChannelAuth.CHALLENGE_BYTES);
            peer.socket().setSoTimeout(5_000);
            while (challenge.hasRemaining()) {
                assertTrue(peer.read(challenge) >= 0, "the driver sends its challenge");
            }
            ByteBuffer request = ByteBuffer.allocate(ChannelProtocol.REQUEST_BYTES + ChannelAuth.TAG_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).putInt(ChannelProtocol.MAGIC).putLong(channel.address().token())
                    .putInt(ChannelProtocol.READ_PARAMS).putInt(0).putLong(-1).putInt(0).putInt(0)
                    .put(new byte[ChannelAuth.TAG_BYTES]).flip();
            peer.write(request);
            assertEquals(-1, peer.socket().getInputStream().read(), "closed without an answer, with the round's token");
        }
    }

    @Test
    void aClientThatConnectsAndSendsNothingDoesNotStallAnAuthenticatedRound() throws Exception {
        float[] params = values(1000, 26);
        ChannelAuth right = ChannelAuth.fromSecret(SECRET);
        List<java.nio.channels.SocketChannel> silent = new ArrayList<>();
        try (RoundChannel channel = RoundChannel.open(authenticated(SECRET), params, new float[0], 2)) {
            ChannelProtocol.Address a = channel.address();
            for (int i = 0; i < 16; i++) {
                java.nio.channels.SocketChannel s = java.nio.channels.SocketChannel.open(
                        new java.net.InetSocketAddress(a.host(), a.port()));
                if (i % 2 == 1) {       // half of them stop after their hello, holding the challenge unanswered
                    s.write(ByteBuffer.allocate(ChannelAuth.HELLO_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(ChannelAuth.HELLO_MAGIC).put(new byte[ChannelAuth.NONCE_BYTES]).flip());
                }
                silent.add(s);
            }
            long t0 = System.nanoTime();
            assertArrayEquals(params, RoundChannelClient.readParams(a, right, 0));
            assertTrue(RoundChannelClient.send(a, right, 1, 3L, params, new float[0]));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis < RoundChannel.REQUEST_TIMEOUT_MS, "served past 16 silent connections in " + millis + " ms");
            assertArrayEquals(params, channel.take(1, 3L).unpack(0));

            for (java.nio.channels.SocketChannel s : List.of(silent.get(0), silent.get(1))) {
                s.socket().setSoTimeout((int) RoundChannel.REQUEST_TIMEOUT_MS * 3);
                java.io.InputStream in = s.socket().getInputStream();
                long start = System.nanoTime();
                int got;
                do {
                    got = in.read();    // the challenge, if any, then the end
                } while (got >= 0);
                long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(closedAfter < RoundChannel.REQUEST_TIMEOUT_MS * 2, "closed " + closedAfter + " ms in");
                assertTrue(System.nanoTime() >= start);
            }
        } finally {
            for (var s : silent) {
                s.close();
            }
        }
    }
}
