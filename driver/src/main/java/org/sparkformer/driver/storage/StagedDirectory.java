package org.sparkformer.driver.storage;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.Checksums;
import org.sparkformer.kernels.io.ModelFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

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

    /** Prefix of a staging directory: {@code _tmp-<name>-<uuid>}. */
    public static final String TMP_PREFIX = "_tmp-";
    /** Prefix of a replaced directory until its replacement is complete: {@code _old-<name>-<uuid>}. */
    public static final String OLD_PREFIX = "_old-";
    private static final Logger LOG = LoggerFactory.getLogger(StagedDirectory.class);

    /** Whether a directory written through staging is complete. */
    @FunctionalInterface
    public interface Completeness {
        boolean test(Path dir) throws IOException;
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

    /**
     * Writes {@code name} (a safe relative name, '/' for sub-directories) and records its digest. A write that fails
     * (a full disk, a lost connection) fails naming the file: {@code cannot write <path>: No space left on device}.
     */
    public void write(String name, Content content) throws IOException {
        String problem = ChecksumManifest.relativeNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("unsafe file name " + name + ": " + problem);
        }
        Path file = new Path(temp, name);
        try (FSDataOutputStream raw = fs.create(file, false);
             Checksums.DigestingOutputStream digesting = Checksums.digesting(new BufferedOutputStream(raw, 1 << 16))) {
            content.writeTo(digesting);
            digesting.flush();
            written.put(name, digesting.entry());
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw writeFailed(file, e);
        }
    }

    /** {@code e}, a failed write of {@code file}, as one line naming the file (and the original as its cause). */
    public static IOException writeFailed(Path file, IOException e) {
        return new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }

    /**
     * {@code target}, or, when it is missing because its replacement was interrupted after it had been moved aside,
     * that copy ({@code _old-<name>-<uuid>}, the last complete version, which the next write of {@code target} puts
     * back); {@code target} when there is none.
     */
    public static Path inPlaceOrMovedAside(FileSystem fs, Path target) throws IOException {
        if (fs.exists(target) || target.getParent() == null) {
            return target;
        }
        Pattern aside = Pattern.compile(Pattern.quote(OLD_PREFIX + target.getName())
                + "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        FileStatus[] found;
        try {
            found = fs.listStatus(target.getParent(), p -> aside.matcher(p.getName()).matches());
        } catch (FileNotFoundException e) {
            return target;
        }
        FileStatus newest = null;
        for (FileStatus s : found) {
            if (newest == null || s.getModificationTime() > newest.getModificationTime()) {
                newest = s;
            }
        }
        if (newest == null) {
            return target;
        }
        LOG.warn("{} is missing: its replacement was interrupted after it had been moved aside; reading the previous "
                + "version from {} (the next write of {} puts it back)", target, newest.getPath(), target.getName());
        return newest.getPath();
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

    /**
     * Renames the staged directory to {@code target}. An existing target is first moved aside to
     * {@code _old-<name>-<uuid>} (moved back if the rename fails) and never deleted here: the caller deletes the
     * returned directory once the replacement is complete. Returns null when there was nothing to move aside.
     */
    public Path replace(Path target) throws IOException {
        Path aside = null;
        if (fs.exists(target)) {
            aside = new Path(target.getParent(), OLD_PREFIX + target.getName() + "-" + UUID.randomUUID());
            if (!fs.rename(target, aside)) {
                throw new IOException("cannot move existing " + target + " aside to replace it");
            }
        }
        try {
            renameTo(target);
        } catch (IOException e) {
            if (aside != null && !fs.exists(target)) {
                fs.rename(aside, target);
            }
            throw e;
        }
        return aside;
    }

    /**
     * Cleans up after an interrupted write of {@code target}: its staging directories ({@code _tmp-<name>-<uuid>})
     * are deleted, and so is a copy moved aside ({@code _old-<name>-<uuid>}) once {@code target} is complete; while
     * it is not (missing, or its completion never written), the copy moved aside is the last complete version and
     * takes its place again.
     *
     * @return the leftovers found
     */
    public static int recover(FileSystem fs, Path target, Completeness complete) throws IOException {
        Path parent = target.getParent();
        Pattern leftover = Pattern.compile("(_tmp|_old)-" + Pattern.quote(target.getName())
                + "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        FileStatus[] found;
        try {
            found = fs.listStatus(parent, p -> leftover.matcher(p.getName()).matches());
        } catch (FileNotFoundException e) {
            return 0;
        }
        for (FileStatus s : found) {
            if (s.getPath().getName().startsWith(TMP_PREFIX)) {
                LOG.info("removing {}, left by an interrupted write", s.getPath());
                fs.delete(s.getPath(), true);
            }
        }
        for (FileStatus s : found) {
            if (!s.getPath().getName().startsWith(OLD_PREFIX)) {
                continue;
            }
            if (!complete.test(target) && (!fs.exists(target) || fs.delete(target, true))) {
                LOG.warn("restoring {} from {}: its replacement was interrupted before it was complete", target, s.getPath());
                if (!fs.rename(s.getPath(), target)) {
                    throw new IOException("cannot restore " + target + " from " + s.getPath());
                }
            } else {
                LOG.info("removing {}, the replaced copy of {}", s.getPath(), target);
                fs.delete(s.getPath(), true);
            }
        }
        return found.length;
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
