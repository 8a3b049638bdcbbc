package org.sparkformer.data.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Expands an input specification (comma-separated paths, each a file, a directory or a glob) into the sorted list of
 * data files it names. Directories are listed recursively; names starting with {@code _} or {@code .} (such as
 * {@code _SUCCESS} and checksum files) are left out. The sorted order makes record order, and so everything
 * derived from it, deterministic.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /** Fully qualified paths of every data file {@code spec} names; fails if a part names nothing. */
    public static List<String> expand(String spec, Configuration conf) {
        TreeSet<String> files = new TreeSet<>();
        for (String part : spec.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                files.addAll(expandOne(trimmed, conf));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("input '" + spec + "' names no data files");
        }
        return new ArrayList<>(files);
    }

    private static List<String> expandOne(String pathText, Configuration conf) {
        Path path = new Path(pathText);
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("input path '" + pathText + "' does not exist or matches no files");
            }
            List<String> files = new ArrayList<>();
            for (FileStatus match : matches) {
                if (match.isDirectory()) {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        if (isDataFile(f.getPath(), match.getPath())) {
                            files.add(f.getPath().toString());
                        }
                    }
                } else if (!isHidden(match.getPath().getName())) {
                    files.add(match.getPath().toString());
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input path '" + pathText + "': " + e.getMessage(), e);
        }
    }

    private static boolean isDataFile(Path file, Path root) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            if (isHidden(p.getName())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }
}
