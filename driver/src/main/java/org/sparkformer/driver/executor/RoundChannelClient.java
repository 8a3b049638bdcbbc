package org.sparkformer.driver.executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The task's end of the driver's round channel: reads the round's starting arrays and sends the partition's result, one
 * connection per transfer. A result that cannot be sent is reported as such and the task sends it through Spark, so a
 * lost connection costs speed, never a result; a starting array that cannot be read fails the task with the address
 * and what to change, and Spark retries it. No transfer waits forever: a read or write that makes no progress for the
 * address's timeout ({@code spark.network.timeout} on the driver) gives up, as does one whose connection takes longer
 * than 10 s to open. When the address asks for authentication ({@code spark.authenticate} on the driver), each
 * connection first runs {@link ChannelAuth}'s challenge-response with a key derived from this JVM's Spark
 * authentication secret; a driver's end that cannot prove it holds the secret gets neither the request nor the result.
 */
public final class RoundChannelClient {

    private static final Logger LOG = LoggerFactory.getLogger(RoundChannelClient.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private RoundChannelClient() {
    }

    /** The round's starting parameters. */
    public static float[] readParams(ChannelProtocol.Address from, int partition) {
        return read(from, null, ChannelProtocol.READ_PARAMS, partition, "parameters");
    }

    /** The round's starting optimizer state. */
    public static float[] readState(ChannelProtocol.Address from, int partition) {
        return read(from, null, ChannelProtocol.READ_STATE, partition, "optimizer state");
    }

    /** The round's starting parameters, authenticated with {@code auth} rather than this JVM's Spark secret. */
    public static float[] readParams(ChannelProtocol.Address from, ChannelAuth auth, int partition) {
        return read(from, auth, ChannelProtocol.READ_PARAMS, partition, "parameters");
    }

    private static float[] read(ChannelProtocol.Address from, ChannelAuth auth, int operation, int partition,
                                String what) {
        try (SocketChannel socket = connect(from); FloatWire wire = FloatWire.timed(socket, from.timeoutMs())) {
            request(wire, from, auth, operation, partition, -1, 0, 0);
            wire.flush();
            int length = answer(wire, Integer.BYTES).getInt();
            float[] values = wire.read(new float[length]);
            wire.checkMessage();
            return values;
        } catch (ChannelAuth.Refused e) {
            throw new IllegalStateException("partition " + partition + " could not read the round's " + what
                    + " from the driver at " + from.host() + ":" + from.port() + ": " + e.getMessage(), e);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("partition " + partition + " could not read the round's " + what
                    + " from the driver at " + from.host() + ":" + from.port() + ": " + e.getMessage() + " ("
                    + ChannelProtocol.TIMEOUT_KEY + "); raise it if the driver is busy, or set " + ChannelProtocol.MODE_KEY
                    + "=spark", e);
        } catch (IOException e) {
            throw new IllegalStateException("partition " + partition + " could not read the round's " + what
                    + " from the driver at " + from.host() + ":" + from.port() + " (" + e + "); let executors reach that "
                    + "address, fix its port with " + ChannelProtocol.PORT_KEY + ", or set " + ChannelProtocol.MODE_KEY
                    + "=spark", e);
        }
    }

    /** Sends the arrays of task attempt {@code attempt} of {@code partition}; false (logged) when they did not arrive. */
    public static boolean send(ChannelProtocol.Address to, int partition, long attempt, float[] params, float[] state) {
        return send(to, null, partition, attempt, params, state);
    }

    /**
     * As {@link #send(ChannelProtocol.Address, int, long, float[], float[])}, authenticated with {@code auth} rather
     * than this JVM's Spark secret.
     */
    public static boolean send(ChannelProtocol.Address to, ChannelAuth auth, int partition, long attempt, float[] params,
                               float[] state) {
        try (SocketChannel socket = connect(to); FloatWire wire = FloatWire.timed(socket, to.timeoutMs())) {
            request(wire, to, auth, ChannelProtocol.SEND, partition, attempt, params.length, state.length);
            wire.write(params).write(state).endMessage();
            byte answer = answer(wire, 1).get();
            wire.checkMessage();
            return answer == ChannelProtocol.RECEIVED;
        } catch (IOException | RuntimeException e) {
            LOG.warn("partition {}: could not send the result to the driver at {}:{} ({}); sending it through Spark",
                    partition, to.host(), to.port(), e instanceof ChannelAuth.Refused ? e.getMessage() : e.toString());
            return false;
        }
    }

    private static SocketChannel connect(ChannelProtocol.Address to) throws IOException {
        SocketChannel socket = SocketChannel.open();
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            socket.socket().connect(new InetSocketAddress(to.host(), to.port()), CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Puts the request into the wire's buffer; the caller appends values, if any, and flushes. On an authenticated
     * address the challenge-response runs first, and the wire is authenticated from the values on.
     */
    private static void request(FloatWire wire, ChannelProtocol.Address to, ChannelAuth auth, int operation,
                                int partition, long attempt, int paramsLength, int stateLength) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(ChannelProtocol.REQUEST_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(ChannelProtocol.MAGIC).putLong(to.token()).putInt(operation).putInt(partition).putLong(attempt)
                .putInt(paramsLength).putInt(stateLength).flip();
        if (!to.authenticated()) {
            wire.out().put(header);
            return;
        }
        ChannelAuth key = auth != null ? auth : ChannelAuth.fromSparkEnv();
        byte[] taskNonce = ChannelAuth.nonce();
        wire.out().putInt(ChannelAuth.HELLO_MAGIC).put(taskNonce);
        wire.flush();
        ByteBuffer challenge = answer(wire, ChannelAuth.CHALLENGE_BYTES);
        byte[] driverNonce = new byte[ChannelAuth.NONCE_BYTES];
        byte[] proof = new byte[ChannelAuth.TAG_BYTES];
        challenge.get(driverNonce).get(proof);
        if (!ChannelAuth.same(proof, key.driverProof(taskNonce, driverNonce))) {
            throw new ChannelAuth.Refused("the driver's end and this executor do not share Spark's authentication "
                    + "secret (spark.authenticate.secret)");
        }
        wire.out().put(header.duplicate()).put(key.taskProof(taskNonce, driverNonce, header));
        wire.authenticate(key.taskToDriver(taskNonce, driverNonce), key.driverToTask(taskNonce, driverNonce));
    }

    /**
     * The first {@code bytes} bytes of the driver's answer, waited for at most the address's timeout without progress
     * (a driver that accepted the connection but never answers cannot hold the task).
     */
    private static ByteBuffer answer(FloatWire wire, int bytes) throws IOException {
        try {
            return wire.fields(bytes);
        } catch (EOFException e) {
            throw new EOFException("the driver closed the connection without answering");
        }
    }
}
