package org.sparkformer.driver.averaging;

import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.executor.ChannelAuth;
import org.sparkformer.driver.executor.ChannelProtocol;
import org.sparkformer.driver.executor.FloatWire;
import org.sparkformer.driver.executor.PackedFloats;

import javax.crypto.Mac;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
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
 * known ports to the driver). A result is taken only from a task attempt Spark's scheduler launched for that
 * partition in this round and that is still running ({@link LaunchedAttempts}). Results of attempts Spark did not report as successful (a task that failed after
 * sending, a losing speculative copy) are dropped when the round closes the channel.
 *
 * <p>No client can hold a round: a connection must present its whole request within {@link #REQUEST_TIMEOUT_MS}
 * (requests are read by one selector thread, so idle connections occupy no transfer handler), at most
 * {@link #PENDING_PER_ADDRESS} connections from one address may be waiting to do so, a transfer must keep at least
 * {@link #MIN_BYTES_PER_SECOND} going (it is closed at its deadline otherwise), and at most {@link #QUEUED} accepted
 * requests wait for a handler. The first result accepted for a partition is final (a later send for it is refused, and
 * its task sends through Spark), partitions outside the round are refused, so a round allocates at most one result
 * buffer per partition. Nor can the driver's end hold a task: the task's end gives up a read or write that makes no
 * progress for {@code spark.network.timeout} (Spark's default, 120 s, when not set; see
 * {@link org.sparkformer.driver.executor.RoundChannelClient}).
 *
 * <p>With {@code spark.authenticate} on, every connection authenticates both ends with a key derived from Spark's
 * authentication secret before anything else ({@link ChannelAuth}): a peer without the secret is closed within the
 * request deadline and gets no array, and every later message carries a tag checked before it is used. Without it the
 * channel's only credential is the round's token.
 *
 * <p>{@code spark.sparkformer.channel} (in the configuration, or as a local property of the thread that runs the
 * rounds) chooses: {@code auto}, the default, uses the channel unless {@code spark.network.crypto.enabled} is on,
 * since the channel does not encrypt; {@code direct} uses it always (warning once that it does not encrypt when RPC
 * encryption is on); {@code spark} never, and the round uses broadcasts and task results. {@code spark.authenticate}
 * without a secret the driver can read sends the round through Spark.
 *
 * <p>The wire format is {@link ChannelProtocol}'s.
 */
final class RoundChannel implements AutoCloseable {

    /** Transfers served at once; more tasks wait, already connected, in the listening socket's queue. */
    private static final int HANDLERS = 8;
    static final byte REFUSED = 2;
    /** Connections the listening socket queues (the kernel may cap it): every task of a large round connects at once. */
    private static final int BACKLOG = 1024;
    /** Accepted requests waiting for a handler; more are closed (a send then goes through Spark, a read is retried). */
    static final int QUEUED = 4096;
    /** Time a connection has to send its whole request. */
    static final long REQUEST_TIMEOUT_MS = 3_000;
    /** Connections from one address that may be waiting to send their request at once; more are closed. */
    static final int PENDING_PER_ADDRESS = 256;
    /** Slowest transfer rate kept: a transfer of n bytes is closed after 10 s + n / this rate. */
    static final long MIN_BYTES_PER_SECOND = 1L << 20;
    private static final long TRANSFER_GRACE_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RoundChannel.class);
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED_DIRECT_ON_ENCRYPTED =
            new java.util.concurrent.atomic.AtomicBoolean();
    static final String AUTHENTICATE_KEY = "spark.authenticate";
    static final String SECRET_KEY = "spark.authenticate.secret";
    static final String CRYPTO_KEY = "spark.network.crypto.enabled";

    private record Key(int partition, long attempt) {
    }

    /**
     * A connection whose request is still arriving: on an authenticated channel first its hello, then (after the
     * driver's challenge went out) its request and proof. Every read is of a fixed, small size.
     */
    private static final class Pending {
        final SocketChannel socket;
        final SocketAddress from;
        /** Whether the connection must authenticate, so its hello comes first. */
        final boolean authenticated;
        ByteBuffer request;
        byte[] taskNonce;
        /** Set once the driver's challenge went out; then the request and the task's proof are read. */
        byte[] driverNonce;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MS);

        Pending(SocketChannel socket, SocketAddress from, boolean authenticated) {
            this.socket = socket;
            this.from = from;
            this.authenticated = authenticated;
            this.request = ByteBuffer.allocate(authenticated ? ChannelAuth.HELLO_BYTES : REQUEST_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean waitingForHello() {
            return authenticated && driverNonce == null;
        }
    }

    private final float[] params;
    private final float[] state;
    private final int partitions;
    private final long token = new SecureRandom().nextLong();
    private final ServerSocketChannel server;
    private final Selector selector;
    private final String advertisedHost;
    private final long clientTimeoutMs;
    private final ThreadPoolExecutor handlers;
    private final ScheduledExecutorService deadlines;
    private final Map<Integer, Long> acceptedAttempt = new ConcurrentHashMap<>();
    private final Map<Key, PackedFloats> received = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> pendingByAddress = new HashMap<>();
    private final LaunchedAttempts launched;
    private final AtomicInteger refusedResults = new AtomicInteger();
    private final Thread acceptor;
    /** Null on a channel without authentication. */
    private final ChannelAuth auth;

    private RoundChannel(ServerSocketChannel server, Selector selector, String advertisedHost, long clientTimeoutMs,
                         ChannelAuth auth, float[] params, float[] state, int partitions, LaunchedAttempts launched) {
        this.server = server;
        this.launched = launched;
        this.auth = auth;
        this.clientTimeoutMs = clientTimeoutMs;
        this.selector = selector;
        this.advertisedHost = advertisedHost;
        this.params = params;
        this.state = state;
        this.partitions = partitions;
        String name = "sparkformer-channel-" + CHANNELS.incrementAndGet();
        AtomicInteger handlerIds = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(HANDLERS, HANDLERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED), r -> {
                    Thread t = new Thread(r, name + "-handler-" + handlerIds.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-deadlines");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Opens a channel serving {@code params} and {@code state} (not modified while it is open) and receiving one result
     * of their lengths from each of {@code partitions} partitions; null when {@code conf} turns the channel off, or when
     * no socket can be bound (logged; the round then uses Spark's paths). With {@code spark.authenticate} on, the
     * channel authenticates with {@code spark.authenticate.secret}. A channel opened here takes a result from any task
     * attempt (the transport alone, as its tests use it); a round's channel takes only attempts Spark launched.
     */
    static RoundChannel open(SparkConf conf, float[] params, float[] state, int partitions) {
        return open(conf, conf.get(SECRET_KEY, null), params, state, partitions, null);
    }

    /** As above, with {@code secret}, as the next method. */
    static RoundChannel open(SparkConf conf, String secret, float[] params, float[] state, int partitions) {
        return open(conf, secret, params, state, partitions, null);
    }

    /**
     * As above, with {@code secret}, Spark's authentication secret (the driver's {@code SecurityManager}'s, which Spark
     * may have generated), for a cluster with {@code spark.authenticate} on (null when there is none), taking a
     * partition's result only from a running attempt that {@code launched} reports for it (null: from any attempt).
     */
    static RoundChannel open(SparkConf conf, String secret, float[] params, float[] state, int partitions,
                             LaunchedAttempts launched) {
        String mode = conf.get(MODE_KEY, "auto").trim().toLowerCase(Locale.ROOT);
        boolean authenticate = conf.getBoolean(AUTHENTICATE_KEY, false);
        boolean encrypted = conf.getBoolean(CRYPTO_KEY, false);
        boolean use = switch (mode) {
            case "auto" -> !encrypted;
            case "direct" -> true;
            case "spark" -> false;
            default -> throw new IllegalArgumentException(MODE_KEY + " must be 'auto', 'direct' or 'spark', got '"
                    + mode + "'");
        };
        if (!use) {
            return null;
        }
        ChannelAuth auth = null;
        if (authenticate) {
            if (secret == null || secret.isEmpty()) {
                LOG.warn("{} is on but the round channel finds no authentication secret ({}); this round's arrays "
                        + "travel through Spark", AUTHENTICATE_KEY, SECRET_KEY);
                return null;
            }
            auth = ChannelAuth.fromSecret(secret);
        }
        if (encrypted && WARNED_DIRECT_ON_ENCRYPTED.compareAndSet(false, true)) {
            LOG.warn("{}=direct on a cluster with {}: the round channel {} but does not encrypt, so parameters and "
                    + "results travel in clear; use 'auto' to keep rounds on Spark's encrypted paths", MODE_KEY,
                    CRYPTO_KEY, auth != null ? "authenticates every message with Spark's secret"
                            : "is authenticated only by a per-round token");
        }
        String host = conf.get("spark.driver.host", "127.0.0.1");
        String bind = conf.get("spark.driver.bindAddress", host);
        int port = conf.getInt(PORT_KEY, 0);
        ServerSocketChannel server = null;
        Selector selector = null;
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getByName(bind), port), BACKLOG);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new RoundChannel(server, selector, host, conf.getTimeAsMs(ChannelProtocol.TIMEOUT_KEY,
                    ChannelProtocol.SPARK_DEFAULT_TIMEOUT), auth, params, state, partitions, launched);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot open the round channel on {}:{} ({}); this round's arrays travel through Spark", bind, port,
                    e.toString());
            closeQuietly(server);
            closeQuietly(selector);
            return null;
        }
    }

    ChannelProtocol.Address address() {
        return new ChannelProtocol.Address(advertisedHost,
                ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort(), token, clientTimeoutMs,
                auth != null);
    }

    /**
     * Results refused so far: for a partition outside the round, from an attempt Spark did not launch for that
     * partition (or that ended), after the partition's first accepted one, or of the wrong lengths. None of them is
     * stored.
     */
    int refusedResults() {
        return refusedResults.get();
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

    /**
     * Accepts connections and reads their requests on one selector thread; a complete request with the round's token
     * goes to a handler, anything else is closed: a connection that has not sent its request by its deadline, one
     * from an address with too many waiting already, one beyond the handlers' queue.
     */
    private void acceptLoop() {
        try {
            List<Pending> complete = new ArrayList<>();
            while (server.isOpen()) {
                selector.select(200);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptOne();
                    } else if (key.isReadable() && readRequest(key)) {
                        complete.add((Pending) key.attachment());
                    }
                }
                closeExpired();
                if (!complete.isEmpty()) {
                    selector.selectNow();       // deregisters the cancelled keys, so their sockets can block again
                    complete.forEach(this::dispatch);
                    complete.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (server.isOpen()) {
                LOG.warn("round channel stopped accepting: {}", e.toString());
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Pending p) {
                    closeQuietly(p.socket);
                }
            }
            closeQuietly(selector);
        }
    }

    private void acceptOne() throws IOException {
        SocketChannel socket = server.accept();
        if (socket == null) {
            return;
        }
        SocketAddress from = socket.getRemoteAddress();
        InetAddress address = ((InetSocketAddress) from).getAddress();
        int waiting = pendingByAddress.getOrDefault(address, 0);
        if (waiting >= PENDING_PER_ADDRESS) {
            LOG.warn("round channel: closed a connection from {}: {} from that address have not sent a request yet", from,
                    waiting);
            closeQuietly(socket);
            return;
        }
        pendingByAddress.put(address, waiting + 1);
        socket.configureBlocking(false);
        socket.register(selector, SelectionKey.OP_READ, new Pending(socket, from, auth != null));
    }

    /** Reads what arrived of a pending request; true when it is complete (its key then cancelled). */
    private boolean readRequest(SelectionKey key) {
        Pending p = (Pending) key.attachment();
        int n;
        try {
            n = p.socket.read(p.request);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            drop(key, p);
            closeQuietly(p.socket);
            return false;
        }
        if (p.request.hasRemaining()) {
            return false;
        }
        if (p.waitingForHello()) {
            challenge(key, p);
            return false;
        }
        drop(key, p);
        return true;
    }

    /**
     * Answers a complete hello with the driver's nonce and proof and waits for the request; closes a connection whose
     * hello is not one (a task without authentication, anyone else).
     */
    private void challenge(SelectionKey key, Pending p) {
        ByteBuffer hello = p.request.flip();
        if (hello.getInt() != ChannelAuth.HELLO_MAGIC) {
            LOG.warn("round channel: refused a connection from {}: it did not authenticate ({} is on)", p.from,
                    AUTHENTICATE_KEY);
            drop(key, p);
            closeQuietly(p.socket);
            return;
        }
        p.taskNonce = new byte[ChannelAuth.NONCE_BYTES];
        hello.get(p.taskNonce);
        p.driverNonce = ChannelAuth.nonce();
        ByteBuffer answer = ByteBuffer.allocate(ChannelAuth.CHALLENGE_BYTES).put(p.driverNonce)
                .put(auth.driverProof(p.taskNonce, p.driverNonce)).flip();
        try {
            p.socket.write(answer);     // 64 bytes into an empty socket buffer
        } catch (IOException e) {
            answer.position(0);
        }
        if (answer.hasRemaining()) {
            LOG.warn("round channel: closed a connection from {} that does not take the challenge", p.from);
            drop(key, p);
            closeQuietly(p.socket);
            return;
        }
        p.request = ByteBuffer.allocate(REQUEST_BYTES + ChannelAuth.TAG_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Hands a complete request with the round's token (and, on an authenticated channel, the task's right proof) to a
     * handler; closes anything else.
     */
    private void dispatch(Pending p) {
        ByteBuffer request = p.request.flip();
        Mac send = null;
        Mac receive = null;
        if (auth != null) {
            ByteBuffer header = request.duplicate().limit(REQUEST_BYTES);
            byte[] proof = new byte[ChannelAuth.TAG_BYTES];
            request.duplicate().position(REQUEST_BYTES).get(proof);
            if (!ChannelAuth.same(proof, auth.taskProof(p.taskNonce, p.driverNonce, header))) {
                LOG.warn("round channel: refused a connection from {}: it does not hold Spark's authentication secret",
                        p.from);
                closeQuietly(p.socket);
                return;
            }
            request.limit(REQUEST_BYTES);
            send = auth.driverToTask(p.taskNonce, p.driverNonce);
            receive = auth.taskToDriver(p.taskNonce, p.driverNonce);
        }
        if (request.getInt() != MAGIC || request.getLong() != token) {
            LOG.warn("round channel: dropped a connection from {} without this round's token", p.from);
            closeQuietly(p.socket);
            return;
        }
        Mac toTask = send;
        Mac fromTask = receive;
        try {
            p.socket.configureBlocking(true);
            handlers.execute(() -> serve(p.socket, request, toTask, fromTask));
        } catch (IOException | RejectedExecutionException e) {
            LOG.warn("round channel: could not serve a request from {} ({}); closed it", p.from, e.toString());
            closeQuietly(p.socket);
        }
    }

    /** Forgets a pending connection (its key cancelled, its address's count lowered). */
    private void drop(SelectionKey key, Pending p) {
        key.cancel();
        InetAddress address = ((InetSocketAddress) p.from).getAddress();
        pendingByAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Pending p && now - p.deadline > 0) {
                LOG.warn("round channel: closed a connection from {} that sent no complete request within {} ms", p.from,
                        REQUEST_TIMEOUT_MS);
                drop(key, p);
                closeQuietly(p.socket);
            }
        }
    }

    /** Answers one request whose header has been read. A transfer slower than the minimum rate is closed. */
    private void serve(SocketChannel socket, ByteBuffer request, Mac toTask, Mac fromTask) {
        int operation = request.getInt();
        int partition = request.getInt();
        long attempt = request.getLong();
        int paramsLength = request.getInt();
        int stateLength = request.getInt();
        long bytes = 4L * (operation == SEND ? (long) paramsLength + stateLength
                : operation == READ_STATE ? state.length : params.length);
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(socket),
                TRANSFER_GRACE_MS + bytes * 1000 / MIN_BYTES_PER_SECOND, TimeUnit.MILLISECONDS);
        try (socket) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            FloatWire wire = new FloatWire(socket);
            if (toTask != null) {
                wire.authenticate(toTask, fromTask);
            }
            switch (operation) {
                case READ_PARAMS -> answer(wire, params);
                case READ_STATE -> answer(wire, state);
                case SEND -> receive(wire, partition, attempt, paramsLength, stateLength);
                default -> LOG.warn("round channel: unknown operation {} from partition {}", operation, partition);
            }
        } catch (ChannelAuth.Refused e) {
            LOG.warn("round channel: refused partition {}'s transfer: {}", partition, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("round channel: a transfer did not complete ({}); the task falls back or is retried", e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    private static void answer(FloatWire wire, float[] values) throws IOException {
        wire.out().putInt(values.length);
        wire.write(values).endMessage();
    }

    private void receive(FloatWire wire, int partition, long attempt, int paramsLength, int stateLength)
            throws IOException {
        if (paramsLength != params.length || stateLength != state.length) {
            LOG.warn("round channel: partition {} sent {} parameters and {} state values, expected {} and {}; "
                    + "it sends them through Spark", partition, paramsLength, stateLength, params.length, state.length);
            refusedResults.incrementAndGet();
            return;
        }
        if (partition < 0 || partition >= partitions) {
            LOG.warn("round channel: refused a result for partition {}, not one of the round's {}", partition, partitions);
            refuse(wire);
            return;
        }
        if (!launchedFor(partition, attempt)) {
            LOG.warn("round channel: refused a result for partition {} from task attempt {}, which is not an attempt "
                    + "Spark launched for that partition in this round and is still running", partition, attempt);
            refuse(wire);
            return;
        }
        Long first = acceptedAttempt.putIfAbsent(partition, attempt);
        if (first != null) {
            LOG.warn("round channel: refused a second result for partition {} (task attempt {}; attempt {} sent first);"
                    + " it goes through Spark", partition, attempt, first);
            refuse(wire);
            return;
        }
        boolean kept = false;
        try {
            byte[] bytes = PackedFloats.layout(paramsLength, stateLength);
            wire.read(bytes, PackedFloats.valuesOffset(2));
            wire.checkMessage();
            received.put(new Key(partition, attempt), PackedFloats.wrap(bytes));
            kept = true;
        } finally {
            if (!kept) {
                // the transfer broke off: the partition's next attempt may send
                acceptedAttempt.remove(partition, attempt);
            }
        }
        wire.out().put(RECEIVED);
        wire.endMessage();
    }

    private boolean launchedFor(int partition, long attempt) {
        if (launched == null) {
            return true;
        }
        try {
            return launched.running(partition, attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void refuse(FloatWire wire) throws IOException {
        refusedResults.incrementAndGet();
        wire.out().put(REFUSED);
        wire.endMessage();
    }

    @Override
    public void close() {
        closeQuietly(server);
        selector.wakeup();
        handlers.shutdownNow();
        deadlines.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        received.clear();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing: nothing left to release
            }
        }
    }
}
