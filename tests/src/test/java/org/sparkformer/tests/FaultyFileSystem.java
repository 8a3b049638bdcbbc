package org.sparkformer.tests;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file system over a real one, with one fault:
 * <ul>
 *   <li>{@link #crashingAt}: the process "dies" at one operation: {@code create:NAME} (creating a file named NAME),
 *       {@code write:NAME} (after the first 16 bytes written to NAME) or {@code rename:PREFIX} (renaming a path whose
 *       name starts with PREFIX; {@code rename:} is any rename). From then on every create, write, rename, delete and
 *       mkdirs fails, as nothing runs after a crash; what was on disk stays as it was. {@link #crashingOnceArmedAt}
 *       reaches its crash point only after {@link #arm} (at the end of a given round, say).</li>
 *   <li>{@link #diskThatFills}: a disk that fills up once {@link #fillUpAfter} is called: after that many more bytes
 *       (all files together) every write fails with {@code No space left on device}, as the kernel's ENOSPC reads in
 *       Java. Everything else goes on working (a full disk still lists, reads, renames and deletes).</li>
 * </ul>
 */
final class FaultyFileSystem extends FilterFileSystem {

    static final String NO_SPACE = "No space left on device";

    /** For a crash: the operation and name; null for a disk that fills. */
    private final String operation;
    private final String name;
    private volatile boolean crashed;
    /** Whether the crash point is live; always for a disk that fills. */
    private volatile boolean armed;
    /** Bytes the disk still takes; negative while it has room without limit. */
    private final AtomicLong room = new AtomicLong(-1);
    private volatile boolean full;

    private FaultyFileSystem(FileSystem underlying, String operation, String name) {
        super(underlying);
        this.operation = operation;
        this.name = name;
        this.armed = true;
    }

    /** A file system whose process crashes at {@code crashPoint} ({@code operation:name}, above). */
    static FaultyFileSystem crashingAt(FileSystem underlying, String crashPoint) {
        int colon = crashPoint.indexOf(':');
        return new FaultyFileSystem(underlying, crashPoint.substring(0, colon), crashPoint.substring(colon + 1));
    }

    /** As {@link #crashingAt}, but everything works until {@link #arm} is called. */
    static FaultyFileSystem crashingOnceArmedAt(FileSystem underlying, String crashPoint) {
        FaultyFileSystem fs = crashingAt(underlying, crashPoint);
        fs.armed = false;
        return fs;
    }

    /** From now on the crash point is live. */
    void arm() {
        armed = true;
    }

    /** A file system on a disk with room until {@link #fillUpAfter} is called. */
    static FaultyFileSystem diskThatFills(FileSystem underlying) {
        return new FaultyFileSystem(underlying, null, null);
    }

    /** From now on the disk takes {@code bytes} more bytes, then is full. */
    void fillUpAfter(long bytes) {
        room.set(bytes);
    }

    boolean crashed() {
        return crashed;
    }

    /** Whether a write found the disk full. */
    boolean full() {
        return full;
    }

    private void alive() throws IOException {
        if (crashed) {
            throw new IOException("process is dead (crashed earlier)");
        }
    }

    private IOException crash(String what) {
        crashed = true;
        return new IOException("crash " + what);
    }

    /** Takes up to {@code bytes} of the disk's room; returns how many it had. */
    private long takeRoom(long bytes) {
        long before = room.getAndUpdate(r -> r < 0 ? r : Math.max(0, r - bytes));
        return before < 0 ? bytes : Math.min(before, bytes);
    }

    private IOException noSpace() {
        full = true;
        return new IOException(NO_SPACE);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        alive();
        if (armed && "create".equals(operation) && f.getName().equals(name)) {
            throw crash("creating " + f);
        }
        FSDataOutputStream out = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        boolean crashesHere = armed && "write".equals(operation) && f.getName().equals(name);
        if (operation != null && !crashesHere) {
            return out;
        }
        return new FSDataOutputStream(new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                alive();
                if (crashesHere && written == 16) {
                    out.hflush();
                    throw crash("writing " + f);
                }
                if (!crashesHere && takeRoom(1) == 0) {
                    throw noSpace();
                }
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (crashesHere) {
                    for (int i = 0; i < len; i++) {
                        write(b[off + i]);
                    }
                    return;
                }
                int fits = (int) takeRoom(len);
                out.write(b, off, fits);
                written += fits;
                if (fits < len) {
                    throw noSpace();
                }
            }

            @Override
            public void close() throws IOException {
                // after a crash nothing closes cleanly, but the bytes written so far are on disk
                out.close();
            }
        }, null);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        alive();
        if (armed && "rename".equals(operation) && src.getName().startsWith(name)) {
            throw crash("renaming " + src);
        }
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        alive();
        return super.delete(f, recursive);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        alive();
        return super.mkdirs(f, permission);
    }
}
