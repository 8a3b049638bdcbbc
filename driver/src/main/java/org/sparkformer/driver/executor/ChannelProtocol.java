package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * What the two ends of the driver's round channel agree on: where a task finds the channel, the settings that choose
 * and place it, and the wire format.
 *
 * <p>Wire format, little-endian: a request is {@code magic, token (long), operation (int), partition (int), task
 * attempt (long), parameters length (int), state length (int)}; for {@link #SEND} the parameters' and then the
 * state's values follow and the driver answers one byte once it holds them; for {@link #READ_PARAMS} and
 * {@link #READ_STATE} the driver answers the array's length and values. On an {@link Address#authenticated}
 * channel the connection opens with {@link ChannelAuth}'s hello ({@code hello magic, task nonce}), the driver answers
 * {@code driver nonce, driver proof}, the request follows with the task's proof, and every message after it ends with
 * its tag.
 */
public final class ChannelProtocol {

    /** {@code auto} (the default), {@code direct} or {@code spark}. */
    public static final String MODE_KEY = "spark.sparkformer.channel";
    /** Driver port for the channel; 0 picks a free one. */
    public static final String PORT_KEY = "spark.sparkformer.channel.port";

    public static final int MAGIC = 0x53465231;            // "SFR1"
    public static final int REQUEST_BYTES = 4 + 8 + 4 + 4 + 8 + 4 + 4;
    public static final int READ_PARAMS = 1;
    public static final int READ_STATE = 2;
    public static final int SEND = 3;
    public static final byte RECEIVED = 1;

    private ChannelProtocol() {
    }

    /**
     * Spark's timeout for network interactions, which also bounds how long a task's end of the channel waits without
     * progress (a read that receives nothing, a write the driver does not take); Spark's default when not set.
     */
    public static final String TIMEOUT_KEY = "spark.network.timeout";
    /** Spark's own default of {@link #TIMEOUT_KEY}. */
    public static final String SPARK_DEFAULT_TIMEOUT = "120s";

    /**
     * Where tasks find the channel; travels inside the task closure.
     *
     * @param timeoutMs     how long the task's end waits on one read or write that makes no progress before it gives up
     * @param authenticated whether every connection authenticates with Spark's authentication secret
     *                      ({@link ChannelAuth}); the secret itself never travels
     */
    public record Address(String host, int port, long token, long timeoutMs, boolean authenticated)
            implements Serializable {
        public Address {
            if (timeoutMs <= 0) {
                throw new IllegalArgumentException("the channel timeout must be positive, got " + timeoutMs + " ms");
            }
        }

        /** A channel without authentication beyond its token. */
        public Address(String host, int port, long token, long timeoutMs) {
            this(host, port, token, timeoutMs, false);
        }
    }
}
