package org.sparkformer.driver.executor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.SocketChannel;

/**
 * Float arrays over a blocking socket, little-endian, through one direct buffer of {@link #CHUNK} bytes: values go
 * from the array to the buffer to the socket and back without an intermediate copy of the whole array.
 */
public final class FloatWire {

    /** Bytes moved per socket read or write. */
    public static final int CHUNK = 1 << 20;

    private final SocketChannel socket;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    public FloatWire(SocketChannel socket) {
        this.socket = socket;
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
        buffer.flip();
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
        buffer.clear();
    }

    /** Reads exactly {@code bytes} bytes (a request, an answer's first fields) into a little-endian buffer of their own. */
    public ByteBuffer fields(int bytes) throws IOException {
        ByteBuffer fields = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN).put(fill(bytes)).flip();
        buffer.clear();
        return fields;
    }

    /** Reads exactly {@code bytes} bytes into the buffer and returns it, ready to get. */
    private ByteBuffer fill(int bytes) throws IOException {
        buffer.clear().limit(bytes);
        while (buffer.hasRemaining()) {
            if (socket.read(buffer) < 0) {
                throw new EOFException("connection closed " + buffer.remaining() + " bytes early");
            }
        }
        return buffer.flip();
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
