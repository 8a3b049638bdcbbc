package org.sparkformer.driver.averaging;

import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.executor.ChannelProtocol;
import org.sparkformer.driver.executor.FloatWire;
import org.sparkformer.driver.executor.PackedFloats;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.sparkformer.driver.executor.ChannelProtocol.MAGIC;
import static org.sparkformer.driver.executor.ChannelProtocol.MODE_KEY;
import static org.sparkformer.driver.executor.ChannelProtocol.PORT_KEY;
import static org.sparkformer.driver.executor.ChannelProtocol.READ_PARAMS;
import static org.sparkformer.driver.executor.ChannelProtocol.READ_STATE;
import static org.sparkformer.driver.executor.ChannelProtocol.RECEIVED;
import static org.sparkformer.driver.executor.ChannelProtocol.REQUEST_BYTES;
import static org.sparkformer.driver.executor.ChannelProtocol.SEND;

/**
 * A socket on the driver through which a round's tasks read the starting parameters and optimizer state and send
 * their results back, so the 4 x (parameters + state) bytes each way skip Spark's broadcast and task-result paths.
 * Those copy the bytes several times: a broadcast is serialized into pieces that each executor looks up, fetches,
 * stores and reports; a task result is serialized, wrapped in a task result and serialized again, copied into an RPC
 * message, and decoded three times on the driver (about 0.4 s for the reference model's 64 MB on one machine). Here
 * the values go once from array to socket to array, and Spark carries only the task closure and the small
 * {@link PartitionOutcome} that says which task attempt sent which result.
 *
 * <p>One channel per round, serving arrays the round does not modify. It answers only requests that present the
 * round's random token, which reaches the tasks inside the task closure, and keeps only results of the lengths the
 * round expects. It binds to {@code spark.driver.bindAddress} (else {@code spark.driver.host}) on
 * {@code spark.sparkformer.channel.port} (0, the default, picks a free port; set one when a firewall allows only
 * known ports to the driver). Results of attempts Spark did not report as successful (a task that failed after
 * sending, a losing speculative copy) are dropped when the round closes the channel.
 *
 * <p>{@code spark.sparkformer.channel} (in the configuration, or as a local property of the thread that runs the
 * rounds) chooses: {@code auto}, the default, uses the channel unless {@code spark.authenticate} or
 * {@code spark.network.crypto.enabled} is on, since the channel neither authenticates beyond its token nor encrypts;
 * {@code direct} uses it always; {@code spark} never, and the round uses broadcasts and task results.
 *
 * <p>The wire format is {@link ChannelProtocol}'s.
 */
final class RoundChannel implements AutoCloseable {

    /** Transfers served at once; more tasks wait, already connected, in the listening socket's queue. */
    private static final int HANDLERS = 8;
    /** Connections the listening socket queues (the kernel may cap it): every task of a large round connects at once. */
    private static final int BACKLOG = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RoundChannel.class);
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    private record Key(int partition, long attempt) {
    }

    private final float[] params;
    private final float[] state;
    private final long token = new SecureRandom().nextLong();
    private final ServerSocketChannel server;
    private final String advertisedHost;
    private final ExecutorService handlers;
    private final Map<Key, PackedFloats> received = new ConcurrentHashMap<>();
    private final Thread acceptor;

    private RoundChannel(ServerSocketChannel server, String advertisedHost, float[] params, float[] state) {
        this.server = server;
        this.advertisedHost = advertisedHost;
        this.params = params;
        this.state = state;
        String name = "sparkformer-channel-" + CHANNELS.incrementAndGet();
        AtomicInteger handlerIds = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(HANDLERS, r -> {
            Thread t = new Thread(r, name + "-handler-" + handlerIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Opens a channel serving {@code params} and {@code state} (not modified while it is open) and receiving results of
     * their lengths; null when {@code conf} turns the channel off, or when no socket can be bound (logged; the round
     * then uses Spark's paths).
     */
    static RoundChannel open(SparkConf conf, float[] params, float[] state) {
        String mode = conf.get(MODE_KEY, "auto").trim().toLowerCase(Locale.ROOT);
        boolean secured = conf.getBoolean("spark.authenticate", false)
                || conf.getBoolean("spark.network.crypto.enabled", false);
        boolean use = switch (mode) {
            case "auto" -> !secured;
            case "direct" -> true;
            case "spark" -> false;
            default -> throw new IllegalArgumentException(MODE_KEY + " must be 'auto', 'direct' or 'spark', got '"
                    + mode + "'");
        };
        if (!use) {
            return null;
        }
        String host = conf.get("spark.driver.host", "127.0.0.1");
        String bind = conf.get("spark.driver.bindAddress", host);
        int port = conf.getInt(PORT_KEY, 0);
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getByName(bind), port), BACKLOG);
            return new RoundChannel(server, host, params, state);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot open the round channel on {}:{} ({}); this round's arrays travel through Spark", bind, port,
                    e.toString());
            closeQuietly(server);
            return null;
        }
    }

    ChannelProtocol.Address address() {
        return new ChannelProtocol.Address(advertisedHost,
                ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort(), token);
    }

    /** The arrays task attempt {@code attempt} of {@code partition} sent; fails when none arrived. */
    PackedFloats take(int partition, long attempt) {
        PackedFloats arrays = received.remove(new Key(partition, attempt));
        if (arrays == null) {
            throw new IllegalStateException("partition " + partition + " (task attempt " + attempt
                    + ") reported a result sent to the driver's round channel, but none arrived");
        }
        return arrays;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel socket = server.accept();
                handlers.execute(() -> serve(socket));
            } catch (IOException | RejectedExecutionException e) {
                if (server.isOpen()) {
                    LOG.warn("round channel stopped accepting: {}", e.toString());
                }
                return;
            }
        }
    }

    /** Answers one request. Anything malformed is logged and the connection closed without an answer. */
    private void serve(SocketChannel socket) {
        try (socket) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            FloatWire wire = new FloatWire(socket);
            ByteBuffer request = wire.fields(REQUEST_BYTES);
            if (request.getInt() != MAGIC || request.getLong() != token) {
                LOG.warn("round channel: dropped a connection from {} without this round's token", socket.getRemoteAddress());
                return;
            }
            int operation = request.getInt();
            int partition = request.getInt();
            long attempt = request.getLong();
            int paramsLength = request.getInt();
            int stateLength = request.getInt();
            switch (operation) {
                case READ_PARAMS -> answer(wire, params);
                case READ_STATE -> answer(wire, state);
                case SEND -> receive(wire, partition, attempt, paramsLength, stateLength);
                default -> LOG.warn("round channel: unknown operation {} from partition {}", operation, partition);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("round channel: a transfer did not complete ({}); the task falls back or is retried", e.toString());
        }
    }

    private static void answer(FloatWire wire, float[] values) throws IOException {
        wire.out().putInt(values.length);
        wire.write(values).flush();
    }

    private void receive(FloatWire wire, int partition, long attempt, int paramsLength, int stateLength)
            throws IOException {
        if (paramsLength != params.length || stateLength != state.length) {
            LOG.warn("round channel: partition {} sent {} parameters and {} state values, expected {} and {}; "
                    + "it sends them through Spark", partition, paramsLength, stateLength, params.length, state.length);
            return;
        }
        byte[] bytes = PackedFloats.layout(paramsLength, stateLength);
        wire.read(bytes, PackedFloats.valuesOffset(2));
        received.put(new Key(partition, attempt), PackedFloats.wrap(bytes));
        wire.out().put(RECEIVED);
        wire.flush();
    }

    @Override
    public void close() {
        closeQuietly(server);
        handlers.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        received.clear();
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing a listening socket: nothing left to release
            }
        }
    }
}
