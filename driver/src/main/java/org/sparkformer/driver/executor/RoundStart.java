package org.sparkformer.driver.executor;

import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;

/**
 * Where a round's tasks read the starting parameters and optimizer state: the driver's round channel, or, when
 * it is off, two broadcasts. Travels inside the task closure.
 */
public interface RoundStart extends Serializable {

    /** A private copy of the starting parameters. */
    float[] params(int partition);

    /** Starts reading the optimizer state on a thread of its own (the trainer needs it only for its first update). */
    StateFetch state(int partition);

    /** Where the task sends its result; null when it goes in Spark's task result. */
    ChannelProtocol.Address results();

    /** From the driver's round channel. */
    record FromChannel(ChannelProtocol.Address channel, boolean hasState) implements RoundStart {

        @Override
        public float[] params(int partition) {
            return RoundChannelClient.readParams(channel, partition);
        }

        @Override
        public StateFetch state(int partition) {
            return hasState ? StateFetch.start(() -> RoundChannelClient.readState(channel, partition), partition)
                    : StateFetch.empty();
        }

        @Override
        public ChannelProtocol.Address results() {
            return channel;
        }
    }

    /** From broadcasts of the packed arrays; {@code state} is null when the optimizer has no state. */
    record FromBroadcasts(Broadcast<PackedFloats> params, Broadcast<PackedFloats> state) implements RoundStart {

        @Override
        public float[] params(int partition) {
            return params.value().unpack(0);
        }

        @Override
        public StateFetch state(int partition) {
            return state == null ? StateFetch.empty() : StateFetch.start(() -> state.value().unpack(0), partition);
        }

        @Override
        public ChannelProtocol.Address results() {
            return null;
        }
    }
}
