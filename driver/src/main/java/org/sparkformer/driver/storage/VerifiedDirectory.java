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
import java.nio.file.Files;

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
        refuseLink(fs, dir, manifestName);
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
            refuseLink(fs, dir, name);
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

    /**
     * Refuses {@code name} in {@code dir} when it, or a directory on the way to it, is a symbolic link: a link can
     * point anywhere (another user's files, /etc/passwd), so a verified directory holds plain files only.
     */
    private static void refuseLink(FileSystem fs, Path dir, String name) throws IOException {
        Path at = dir;
        String relative = "";
        for (String part : name.split("/")) {
            at = new Path(at, part);
            relative = relative.isEmpty() ? part : relative + "/" + part;
            if (isLink(fs, at)) {
                throw new ModelFileException(dir + ": " + relative + " is a symbolic link;"
                        + " a model or checkpoint directory holds plain files only");
            }
        }
    }

    private static boolean isLink(FileSystem fs, Path path) throws IOException {
        Path qualified = fs.makeQualified(path);
        if ("file".equals(qualified.toUri().getScheme())) {
            return Files.isSymbolicLink(java.nio.file.Path.of(qualified.toUri()));
        }
        try {
            return fs.getFileLinkStatus(path).isSymlink();
        } catch (UnsupportedOperationException e) {
            return false;
        }
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
