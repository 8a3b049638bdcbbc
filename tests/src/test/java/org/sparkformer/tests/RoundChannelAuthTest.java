package org.sparkformer.tests;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.executor.ChannelAuth;
import org.sparkformer.driver.executor.ChannelProtocol;
import org.sparkformer.driver.executor.RoundChannelClient;
import org.sparkformer.driver.training.TrainingOutcome;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a cluster with {@code spark.authenticate} on (here the secret Spark generates in local mode), the rounds stay on
 * the round channel, authenticated with a key derived from that secret: while a peer with the wrong secret keeps
 * trying the channel's port and others connect and send nothing, every try is refused and the rounds finish on the
 * channel, as fast, with the parameters of rounds through Spark. With RPC encryption on, the channel (which does not
 * encrypt) stays off under {@code auto}.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(2)
class RoundChannelAuthTest {

    @Test
    void anAuthenticatedClusterKeepsTheChannelAndRefusesAPeerWithoutTheSecret() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        var sc = TestBed.sparkWith(Map.of("spark.authenticate", "true",
                "spark.sparkformer.channel.port", Integer.toString(port))).sparkContext();
        JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(64, 11), 2);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        Thread impostor = new Thread(() -> impersonate(port, done, refused), "impostor");
        try {
            impostor.start();
            RoundChannelStallTest.ChannelUse use = new RoundChannelStallTest.ChannelUse();
            long t0 = System.nanoTime();
            TrainingOutcome onChannel = TestBed.trainDirectly(config, data, rdd -> rdd, use);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            done.set(true);
            impostor.join(10_000);

            sc.setLocalProperty("spark.sparkformer.channel", "spark");
            TrainingOutcome throughSpark = TestBed.trainDirectly(config, data, rdd -> rdd);
            sc.setLocalProperty("spark.sparkformer.channel", null);

            assertTrue(use.results > 0, "the results came back on the authenticated round channel under 'auto'");
            assertTrue(refused.get() > 0, "the peer with the wrong secret reached the channel and was refused");
            assertTrue(seconds < 60, "the rounds took " + seconds + " s");
            assertArrayEquals(throughSpark.params(), onChannel.params(), "parameters bit-identical");
        } finally {
            done.set(true);
            impostor.join(10_000);
            sc.setLocalProperty("spark.sparkformer.channel", null);
            forgetGeneratedSecret();
        }
    }

    @Test
    void rpcEncryptionKeepsTheUnencryptedChannelOffUnderAuto() throws Exception {
        SparkformerConfig config = TestBed.tinyConfig(null);
        TestBed.sparkWith(Map.of("spark.authenticate", "true", "spark.network.crypto.enabled", "true"));
        try {
            JavaRDD<EncodedSequence> data = TestBed.jsc().parallelize(TestBed.syntheticSequences(32, 12), 2);
            RoundChannelStallTest.ChannelUse use = new RoundChannelStallTest.ChannelUse();
            TestBed.trainDirectly(config, data, rdd -> rdd, use);
            assertEquals(0, use.results, "an encrypting cluster's rounds go through Spark");
        } finally {
            forgetGeneratedSecret();
        }
    }

    /**
     * Stops the session and drops the secret local-mode Spark generated: Spark keeps it in the current Hadoop user's
     * credentials, where it would win over the secret a later session in this JVM is given (a standalone cluster's).
     */
    private static void forgetGeneratedSecret() {
        TestBed.stopSpark();
        org.apache.hadoop.security.UserGroupInformation.reset();
    }

    /**
     * Until done: reads the parameters with the wrong secret (counting the refusals) and keeps four connections open
     * that send nothing.
     */
    private static void impersonate(int port, AtomicBoolean done, AtomicInteger refused) {
        ChannelAuth wrong = ChannelAuth.fromSecret("not-the-secret");
        ChannelProtocol.Address guess = new ChannelProtocol.Address("127.0.0.1", port, 0L, 2_000, true);
        List<Socket> silent = new ArrayList<>();
        try {
            while (!done.get()) {
                try {
                    RoundChannelClient.readParams(guess, wrong, 0);
                } catch (IllegalStateException e) {
                    if (e.getMessage().contains("do not share Spark's authentication secret")) {
                        refused.incrementAndGet();
                    }
                }
                silent.removeIf(Socket::isClosed);
                IdleConnections.topUp(silent, port, 4);
                Thread.sleep(20);
            }
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        } finally {
            IdleConnections.closeAll(silent);
        }
    }
}
