package org.sparkformer.driver.storage;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.Checksums;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A directory written under a temporary name next to its final place, each file digested as it is
 * written, then renamed into place. Nothing is visible under the final name until every file is complete.
 */
public final class StagedDirectory {

    /** Writes one file's content to the stream given (the stream is closed by the caller of the writer). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final FileSystem fs;
    private final Path temp;
    private final Map<String, ChecksumManifest.Entry> written = new TreeMap<>();

    private StagedDirectory(FileSystem fs, Path temp) {
        this.fs = fs;
        this.temp = temp;
    }

    /** Creates {@code parent/<prefix>-<uuid>}; the prefix should start with "_tmp" so listings skip it. */
    public static StagedDirectory create(FileSystem fs, Path parent, String prefix) throws IOException {
        Path temp = new Path(parent, prefix + "-" + UUID.randomUUID());
        if (!fs.mkdirs(temp)) {
            throw new IOException("cannot create temporary directory " + temp);
        }
        return new StagedDirectory(fs, temp);
    }

    public Path path() {
        return temp;
    }

    /** Writes {@code name} (a safe relative name, '/' for sub-directories) and records its digest. */
    public void write(String name, Content content) throws IOException {
        String problem = ChecksumManifest.relativeNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("unsafe file name " + name + ": " + problem);
        }
        try (FSDataOutputStream raw = fs.create(new Path(temp, name), false);
             Checksums.DigestingOutputStream digesting = Checksums.digesting(new BufferedOutputStream(raw, 1 << 16))) {
            content.writeTo(digesting);
            digesting.flush();
            written.put(name, digesting.entry());
        }
    }

    /** Writes a UTF-8 text file. */
    public void writeText(String name, String text) throws IOException {
        write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Digests of the files written so far. */
    public ChecksumManifest manifest() {
        return new ChecksumManifest(written);
    }

    /**
     * Renames the staged directory to {@code target}, which must not exist (a Hadoop rename onto an
     * existing directory would nest the source inside it).
     */
    public void renameTo(Path target) throws IOException {
        if (fs.exists(target)) {
            throw new IOException("cannot commit " + temp + ": " + target + " already exists");
        }
        if (!fs.rename(temp, target)) {
            throw new IOException("rename of " + temp + " to " + target + " failed");
        }
    }

    /** Deletes the staged directory (after a failure). */
    public void discard() {
        try {
            fs.delete(temp, true);
        } catch (IOException ignored) {
            // best effort: the next clean-up removes leftover temporary directories
        }
    }
}
