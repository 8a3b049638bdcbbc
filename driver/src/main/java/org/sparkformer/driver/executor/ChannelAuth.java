package org.sparkformer.driver.executor;

import org.apache.spark.SparkEnv;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The round channel's authentication on a cluster with {@code spark.authenticate} on: a key derived from Spark's
 * authentication secret (HMAC-SHA256 of a fixed label under the secret), which never travels. Each connection runs a
 * challenge-response with a fresh random nonce from each side: the driver's end proves it holds the key first, then
 * the task's end, over both nonces and its request; every later message in either direction carries an HMAC-SHA256
 * tag under a key of its own for that direction and connection, over the message and its sequence number, and is
 * used only once its tag checks out. A peer without the secret gets no array and can send none.
 */
public final class ChannelAuth {

    /** Bytes of a nonce and of a tag. */
    public static final int NONCE_BYTES = 32;
    public static final int TAG_BYTES = 32;
    /** The first field of an authenticated connection's hello, in place of {@link ChannelProtocol#MAGIC}. */
    public static final int HELLO_MAGIC = 0x53464131;      // "SFA1"
    /** Hello: magic, the task's nonce. */
    public static final int HELLO_BYTES = 4 + NONCE_BYTES;
    /** The driver's answer to a hello: its nonce, its proof. */
    public static final int CHALLENGE_BYTES = NONCE_BYTES + TAG_BYTES;

    private static final String HMAC = "HmacSHA256";
    private static final byte[] LABEL = "sparkformer round channel v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private ChannelAuth(byte[] key) {
        this.key = new SecretKeySpec(key, HMAC);
    }

    /** The key derived from {@code secret}, Spark's authentication secret. */
    public static ChannelAuth fromSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the round channel needs Spark's authentication secret, and it is empty");
        }
        return new ChannelAuth(hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC), LABEL));
    }

    /**
     * The key derived from the secret of this JVM's Spark environment (an executor's, or the driver's in local mode);
     * fails naming the setting when there is none.
     */
    public static ChannelAuth fromSparkEnv() {
        SparkEnv env = SparkEnv.get();
        String secret = env == null ? null : env.securityManager().getSecretKey();
        if (secret == null || secret.isEmpty()) {
            throw new IllegalStateException("the driver's round channel asks for authentication, but this JVM has no "
                    + "Spark authentication secret (spark.authenticate, spark.authenticate.secret)");
        }
        return fromSecret(secret);
    }

    /** A fresh random nonce. */
    public static byte[] nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** The driver's end's proof that it holds the key, for the two nonces. */
    public byte[] driverProof(byte[] taskNonce, byte[] driverNonce) {
        return hmac(key, bytes("driver"), taskNonce, driverNonce);
    }

    /** The task's end's proof that it holds the key, for the two nonces and its request. */
    public byte[] taskProof(byte[] taskNonce, byte[] driverNonce, ByteBuffer request) {
        byte[] header = new byte[request.remaining()];
        request.duplicate().get(header);
        return hmac(key, bytes("task"), taskNonce, driverNonce, header);
    }

    /** The MAC of the messages the task's end sends on the connection of these nonces. */
    public Mac taskToDriver(byte[] taskNonce, byte[] driverNonce) {
        return mac(hmac(key, bytes("task to driver"), taskNonce, driverNonce));
    }

    /** The MAC of the messages the driver's end sends on the connection of these nonces. */
    public Mac driverToTask(byte[] taskNonce, byte[] driverNonce) {
        return mac(hmac(key, bytes("driver to task"), taskNonce, driverNonce));
    }

    /** Whether two tags are equal, in time that does not depend on where they differ. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** The tag closing message {@code sequence} on {@code mac}, which has taken the message's bytes. */
    static byte[] tag(Mac mac, long sequence) {
        mac.update(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(sequence).flip());
        return mac.doFinal();
    }

    /** A peer that does not hold the key, or a message whose tag is wrong. */
    public static final class Refused extends java.io.IOException {
        public Refused(String message) {
            super(message);
        }
    }

    private static byte[] bytes(String label) {
        return label.getBytes(StandardCharsets.US_ASCII);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + HMAC + ": " + e.getMessage(), e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[]... parts) {
        Mac mac = mac(key.getEncoded());
        for (byte[] part : parts) {
            mac.update(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(part.length).flip());
            mac.update(part);
        }
        return mac.doFinal();
    }
}
