package org.sparkformer.driver.modeldir;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.sparkformer.kernels.io.Checksums;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A SHA-256 over a run's input files, to tell later whether a model was trained on the same data.
 * {@link #ofListing} hashes names, sizes and modification times (cheap, any size of data);
 * {@link #ofContents} hashes names and full contents (exact, reads everything). Directories are listed
 * recursively; files are taken in path order. The value is prefixed with its kind.
 */
public final class DataFingerprint {

    private DataFingerprint() {
    }

    /**
     * {@link #ofListing} of the files matched by comma-separated paths or globs (nulls skipped), or {@code none} when
     * nothing matches.
     */
    public static String ofPaths(Configuration conf, String... commaSeparatedPaths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String paths : commaSeparatedPaths) {
            if (paths == null) {
                continue;
            }
            for (String p : paths.split(",")) {
                Path path = new Path(p.trim());
                FileStatus[] matches = path.getFileSystem(conf).globStatus(path);
                if (matches != null) {
                    for (FileStatus m : matches) {
                        files.add(m.getPath());
                    }
                }
            }
        }
        return files.isEmpty() ? "none" : ofListing(files.get(0).getFileSystem(conf), files);
    }

    public static String ofListing(FileSystem fs, List<Path> inputs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (FileStatus f : files(fs, inputs)) {
            text.append(f.getPath()).append('\t').append(f.getLen()).append('\t').append(f.getModificationTime()).append('\n');
        }
        return "listing-sha256:" + Checksums.sha256Hex(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String ofContents(FileSystem fs, List<Path> inputs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (FileStatus f : files(fs, inputs)) {
            try (FSDataInputStream in = fs.open(f.getPath())) {
                text.append(f.getPath()).append('\t').append(Checksums.sha256(in).sha256()).append('\n');
            }
        }
        return "content-sha256:" + Checksums.sha256Hex(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<FileStatus> files(FileSystem fs, List<Path> inputs) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (Path input : inputs) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(input, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String name = f.getPath().getName();
                if (!name.startsWith(".") && !name.startsWith("_")) {
                    files.add(f);
                }
            }
        }
        files.sort(Comparator.comparing(f -> f.getPath().toString()));
        return files;
    }
}
