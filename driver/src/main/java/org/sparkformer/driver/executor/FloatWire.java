package org.sparkformer.driver.executor;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Float arrays over a blocking socket, little-endian, through one direct buffer of {@link #CHUNK} bytes: values go
 * from the array to the buffer to the socket and back without an intermediate copy of the whole array. A
 * {@link #timed} wire gives up when its reads and writes make no progress for its timeout: a watchdog closes the socket,
 * and the read or write waiting on it fails with a {@link SocketTimeoutException}. The socket stays blocking, so a
 * transfer that flows costs what it did without a timeout. An {@link #authenticate authenticated} wire keeps an HMAC
 * of every byte it writes and reads: {@link #endMessage} closes a message with its tag, {@link #checkMessage} fails
 * unless the tag that follows a received message is right ({@link ChannelAuth}).
 */
public final class FloatWire implements AutoCloseable {

    /** Bytes moved per socket read or write. */
    public static final int CHUNK = 1 << 20;

    /** Closes the sockets of timed wires that made no progress for their timeout. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final SocketChannel socket;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    private final long timeoutNanos;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean timedOut;
    private volatile boolean closed;
    private ScheduledFuture<?> check;
    private javax.crypto.Mac sendMac;
    private javax.crypto.Mac receiveMac;
    private long sentMessages;
    private long receivedMessages;

    /** A wire that waits as long as its socket does. */
    public FloatWire(SocketChannel socket) {
        this.socket = socket;
        this.timeoutNanos = 0;
    }

    private FloatWire(SocketChannel socket, long timeoutMs) {
        this.socket = socket;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /**
     * A wire over the blocking {@code socket} whose reads and writes give up when they make no progress for
     * {@code timeoutMs}; close it when the transfer ends.
     */
    public static FloatWire timed(SocketChannel socket, long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeoutMs + " ms");
        }
        FloatWire wire = new FloatWire(socket, timeoutMs);
        wire.watch(wire.timeoutNanos);
        return wire;
    }

    /** Stops watching the socket (a timed wire); it stays open. */
    @Override
    public synchronized void close() {
        closed = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    private synchronized void watch(long delayNanos) {
        if (!closed) {
            check = WATCHDOG.schedule(this::checkProgress, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the socket when nothing moved for the timeout, else looks again when it could have run out. */
    private void checkProgress() {
        long idle = System.nanoTime() - lastProgress;
        if (idle < timeoutNanos) {
            watch(timeoutNanos - idle);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            timedOut = true;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // the waiting read or write fails either way
        }
    }

    /** A read or write that failed because the watchdog closed the socket, as the timeout it is. */
    private IOException failure(AsynchronousCloseException e, String what) {
        if (!timedOut) {
            return e;
        }
        SocketTimeoutException timeout = new SocketTimeoutException("no progress " + what + " for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        timeout.initCause(e);
        return timeout;
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sparkformer-channel-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }

    /**
     * From now on, tags every message written with {@code send} and checks every message read with {@code receive};
     * what the buffer holds is sent first, untagged.
     */
    public FloatWire authenticate(javax.crypto.Mac send, javax.crypto.Mac receive) throws IOException {
        flush();
        this.sendMac = send;
        this.receiveMac = receive;
        return this;
    }

    /** Writes out the message the buffer ends and, on an authenticated wire, its tag. */
    public void endMessage() throws IOException {
        flush();
        if (sendMac != null) {
            buffer.put(ChannelAuth.tag(sendMac, sentMessages++));
            write(false);
        }
    }

    /**
     * On an authenticated wire, reads the tag that follows the message read since the last one and fails with
     * {@link ChannelAuth.Refused} unless it is right; the message must not be used before.
     */
    public void checkMessage() throws IOException {
        if (receiveMac == null) {
            return;
        }
        byte[] expected = ChannelAuth.tag(receiveMac, receivedMessages++);
        byte[] tag = new byte[ChannelAuth.TAG_BYTES];
        fill(tag.length, false).get(tag);
        buffer.clear();
        if (!ChannelAuth.same(expected, tag)) {
            throw new ChannelAuth.Refused("a message on the round channel failed its authentication tag");
        }
    }

    /** The buffer, for header fields put before the values; {@link #flush} sends them. */
    public ByteBuffer out() {
        return buffer;
    }

    /** Appends {@code values} to the buffer, writing it out whenever it fills. */
    public FloatWire write(float[] values) throws IOException {
        for (int at = 0; at < values.length; ) {
            if (buffer.remaining() < Float.BYTES) {
                flush();
            }
            FloatBuffer floats = buffer.asFloatBuffer();
            int n = Math.min(floats.remaining(), values.length - at);
            floats.put(values, at, n);
            buffer.position(buffer.position() + n * Float.BYTES);
            at += n;
        }
        return this;
    }

    /** Writes out what the buffer holds. */
    public void flush() throws IOException {
        write(true);
    }

    private void write(boolean tagged) throws IOException {
        buffer.flip();
        if (tagged && sendMac != null) {
            sendMac.update(buffer.duplicate());
        }
        try {
            while (buffer.hasRemaining()) {
                if (socket.write(buffer) > 0) {
                    lastProgress = System.nanoTime();
                }
            }
        } catch (AsynchronousCloseException e) {
            throw failure(e, "writing (the peer takes nothing)");
        }
        buffer.clear();
    }

    /** Reads exactly {@code bytes} bytes (a request, an answer's first fields) into a little-endian buffer of their own. */
    public ByteBuffer fields(int bytes) throws IOException {
        ByteBuffer fields = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN).put(fill(bytes, true)).flip();
        buffer.clear();
        return fields;
    }

    /** Reads exactly {@code bytes} bytes into the buffer and returns it, ready to get. */
    private ByteBuffer fill(int bytes) throws IOException {
        return fill(bytes, true);
    }

    private ByteBuffer fill(int bytes, boolean tagged) throws IOException {
        buffer.clear().limit(bytes);
        try {
            while (buffer.hasRemaining()) {
                int n = socket.read(buffer);
                if (n < 0) {
                    throw new EOFException("connection closed " + buffer.remaining() + " bytes early");
                }
                lastProgress = System.nanoTime();
            }
        } catch (AsynchronousCloseException e) {
            throw failure(e, "reading (the peer sends nothing)");
        }
        buffer.flip();
        if (tagged && receiveMac != null) {
            receiveMac.update(buffer.duplicate());
        }
        return buffer;
    }

    /** Fills {@code values} from the socket. */
    public float[] read(float[] values) throws IOException {
        for (int at = 0; at < values.length; ) {
            int n = Math.min(CHUNK / Float.BYTES, values.length - at);
            fill(n * Float.BYTES).asFloatBuffer().get(values, at, n);
            at += n;
        }
        buffer.clear();
        return values;
    }

    /** Fills {@code bytes} from {@code offset} to its end from the socket. */
    public void read(byte[] bytes, int offset) throws IOException {
        for (int at = offset; at < bytes.length; ) {
            int n = Math.min(CHUNK, bytes.length - at);
            fill(n).get(bytes, at, n);
            at += n;
        }
        buffer.clear();
    }
}
