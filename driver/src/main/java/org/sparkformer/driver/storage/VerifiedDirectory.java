package org.sparkformer.driver.storage;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.ModelFileException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A directory whose files are checked against its manifest before use: every listed file exists, has the
 * listed size and SHA-256. Errors name the directory and file.
 */
public final class VerifiedDirectory {

    /** Largest manifest read: far above any real one, small enough to refuse garbage. */
    private static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

    private final FileSystem fs;
    private final Path dir;
    private final ChecksumManifest manifest;

    private VerifiedDirectory(FileSystem fs, Path dir, ChecksumManifest manifest) {
        this.fs = fs;
        this.dir = dir;
        this.manifest = manifest;
    }

    /** Reads {@code manifestName} in {@code dir} and verifies every file it lists. */
    public static VerifiedDirectory open(FileSystem fs, Path dir, String manifestName) throws IOException {
        Path manifestPath = new Path(dir, manifestName);
        FileStatus status;
        try {
            status = fs.getFileStatus(manifestPath);
        } catch (FileNotFoundException e) {
            throw new ModelFileException(dir + ": " + manifestName + " is missing (incomplete or not written by Sparkformer)");
        }
        if (status.getLen() > MAX_MANIFEST_BYTES) {
            throw new ModelFileException(manifestPath + ": " + status.getLen() + " bytes is too large for a manifest");
        }
        byte[] bytes;
        try (FSDataInputStream in = fs.open(manifestPath)) {
            bytes = in.readAllBytes();
        }
        ChecksumManifest manifest = ChecksumManifest.parse(bytes, manifestPath.toString());
        for (String name : manifest.files().keySet()) {
            Path file = new Path(dir, name);
            if (!fs.exists(file)) {
                throw new ModelFileException(dir + ": " + name + " is listed in " + manifestName + " but missing");
            }
            try (InputStream in = fs.open(file)) {
                manifest.verify(name, in);
            } catch (ModelFileException e) {
                throw new ModelFileException(dir + ": " + e.getMessage(), e);
            }
        }
        return new VerifiedDirectory(fs, dir, manifest);
    }

    public ChecksumManifest manifest() {
        return manifest;
    }

    public Path dir() {
        return dir;
    }

    /** Opens a verified file; refuses names the manifest does not list. */
    public FSDataInputStream open(String name) throws IOException {
        requireListed(name);
        return fs.open(new Path(dir, name));
    }

    /** Size of a verified file. */
    public long size(String name) throws ModelFileException {
        requireListed(name);
        return manifest.files().get(name).size();
    }

    public boolean has(String name) {
        return manifest.files().containsKey(name);
    }

    private void requireListed(String name) throws ModelFileException {
        if (!manifest.files().containsKey(name)) {
            throw new ModelFileException(dir + ": " + name + " is not listed in the manifest");
        }
    }
}
