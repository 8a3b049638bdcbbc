package org.sparkformer.driver.storage;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/** A small file written under a temporary name next to its place ({@code _tmp-<name>}), then renamed over any old one. */
public final class RenamedFile {

    private RenamedFile() {
    }

    /** Writes {@code content} to {@code file}: complete under its final name, or not there under it. */
    public static void write(FileSystem fs, Path file, byte[] content) throws IOException {
        Path temp = new Path(file.getParent(), StagedDirectory.TMP_PREFIX + file.getName());
        try (FSDataOutputStream out = fs.create(temp, true)) {
            out.write(content);
        }
        fs.delete(file, false);
        if (!fs.rename(temp, file)) {
            throw new IOException("cannot rename " + temp + " to " + file);
        }
    }
}
