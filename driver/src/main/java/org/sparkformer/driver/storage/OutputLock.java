package org.sparkformer.driver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;

/**
 * Stops two jobs from writing to one output directory: {@code _LOCK} is created exclusively (HDFS
 * {@code create(overwrite=false)}, an O_EXCL create on a local disk) holding host, pid, start time and
 * purpose, and deleted on {@link #close()}. A lock left by a dead process on this host is taken over with
 * a warning; any other existing lock fails fast naming its holder. {@code --overwrite} never bypasses it.
 */
public final class OutputLock implements AutoCloseable {

    public static final String FILE_NAME = "_LOCK";
    private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path lockFile;
    private boolean released;

    private OutputLock(FileSystem fs, Path lockFile) {
        this.fs = fs;
        this.lockFile = lockFile;
    }

    /** Thrown when another job holds the lock. */
    public static final class LockedException extends IOException {
        public LockedException(String message) {
            super(message);
        }
    }

    /** Takes the lock on {@code dir} (created if missing) for {@code purpose}, e.g. "pretrain". */
    public static OutputLock acquire(FileSystem fs, Path dir, String purpose) throws IOException {
        fs.mkdirs(dir);
        Path lockFile = new Path(dir, FILE_NAME);
        byte[] content = describeSelf(purpose);
        if (tryCreate(fs, lockFile, content)) {
            return new OutputLock(fs, lockFile);
        }
        JsonNode holder = readHolder(fs, lockFile);
        if (heldByDeadLocalProcess(holder)) {
            LOG.warn("taking over {} left by process {} on this host, which is no longer running", lockFile, holder.path("pid"));
            fs.delete(lockFile, false);
            if (tryCreate(fs, lockFile, content)) {
                return new OutputLock(fs, lockFile);
            }
            holder = readHolder(fs, lockFile);
        }
        throw new LockedException("output directory " + dir + " is in use by another job (" + describe(holder)
                + "); wait for it to finish, choose another --output, or delete " + lockFile
                + " if that job is no longer running");
    }

    private static boolean tryCreate(FileSystem fs, Path lockFile, byte[] content) throws IOException {
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(lockFile).toUri());
            try {
                Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(lockFile, false)) {
            out.write(content);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(lockFile)) {
                return false;
            }
            throw e;
        }
    }

    private static byte[] describeSelf(String purpose) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return JSON.createObjectNode()
                .put("host", host)
                .put("pid", ProcessHandle.current().pid())
                .put("started", Instant.now().toString())
                .put("purpose", purpose)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode readHolder(FileSystem fs, Path lockFile) {
        try (FSDataInputStream in = fs.open(lockFile)) {
            byte[] bytes = in.readNBytes(4096);
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static boolean heldByDeadLocalProcess(JsonNode holder) {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.equals(holder.path("host").asText()) || !holder.path("pid").canConvertToLong()) {
                return false;
            }
            long pid = holder.path("pid").asLong();
            return pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(JsonNode holder) {
        if (holder == null || holder.isEmpty()) {
            return "holder unknown";
        }
        return holder.path("purpose").asText("?") + " started " + holder.path("started").asText("?") + " by pid "
                + holder.path("pid").asText("?") + " on " + holder.path("host").asText("?");
    }

    /** Removes the lock; safe to call twice. */
    @Override
    public void close() throws IOException {
        if (!released) {
            released = true;
            fs.delete(lockFile, false);
        }
    }
}
