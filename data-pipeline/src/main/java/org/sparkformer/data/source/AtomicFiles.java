package org.sparkformer.data.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small whole-file reads and writes on any Hadoop file system. Writes go to a hidden temporary file next to the
 * target and are renamed into place, so a reader never sees a half-written file. Local files are written without
 * Hadoop checksum side files.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code text} as UTF-8 to {@code path}, replacing any existing file. */
    public static void writeText(String path, String text, Configuration conf) {
        write(path, text.getBytes(StandardCharsets.UTF_8), conf);
    }

    public static void write(String path, byte[] content, Configuration conf) {
        Path target = new Path(path);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = fileSystem(target, conf);
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(content);
            }
            if (!fs.rename(temporary, target)) {
                fs.delete(target, false);
                if (!fs.rename(temporary, target)) {
                    throw new IOException("rename of " + temporary + " to " + target + " failed");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** The whole file as UTF-8 text (strictly decoded by the caller when it matters). */
    public static byte[] read(String path, Configuration conf) {
        Path source = new Path(path);
        try (InputStream in = fileSystem(source, conf).open(source)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public static boolean exists(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            return fileSystem(p, conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
        }
    }

    private static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }
}
