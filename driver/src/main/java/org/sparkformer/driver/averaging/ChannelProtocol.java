package org.sparkformer.driver.averaging;

import java.io.Serializable;

/**
 * What the two ends of the {@link RoundChannel} agree on: where a task finds the channel, the settings that choose
 * and place it, and the wire format.
 *
 * <p>Wire format, little-endian: a request is {@code magic, token (long), operation (int), partition (int), task
 * attempt (long), parameters length (int), state length (int)}; for {@link #SEND} the parameters' and then the
 * state's values follow and the driver answers one byte once it holds them; for {@link #READ_PARAMS} and
 * {@link #READ_STATE} the driver answers the array's length and values.
 */
final class ChannelProtocol {

    /** {@code auto} (the default), {@code direct} or {@code spark}. */
    static final String MODE_KEY = "spark.sparkformer.channel";
    /** Driver port for the channel; 0 picks a free one. */
    static final String PORT_KEY = "spark.sparkformer.channel.port";

    static final int MAGIC = 0x53465231;            // "SFR1"
    static final int REQUEST_BYTES = 4 + 8 + 4 + 4 + 8 + 4 + 4;
    static final int READ_PARAMS = 1;
    static final int READ_STATE = 2;
    static final int SEND = 3;
    static final byte RECEIVED = 1;

    private ChannelProtocol() {
    }

    /** Where tasks find the channel; travels inside the task closure. */
    record Address(String host, int port, long token) implements Serializable {
    }
}
