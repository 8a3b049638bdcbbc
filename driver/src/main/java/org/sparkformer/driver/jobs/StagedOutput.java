package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.storage.OutputLock;

import java.io.IOException;
import java.util.UUID;

/**
 * Where a job writes when {@code --overwrite} replaces an output that already holds results: a staging directory
 * {@code _tmp-overwrite-<id>} inside the (locked) output. The old results stay untouched while the job runs, and are
 * swapped out only when it has succeeded ({@link #commit}); a job that fails leaves them as they were.
 * <p>
 * The swap moves every old entry into {@code _old-overwrite-<id>}, marks that directory complete, moves every staged
 * entry up, then deletes both. A crash in between is finished on the next run on the output ({@link #recover}): before
 * the mark, the old entries are moved back (the job's results are lost, the old output is whole); after it, the staged
 * entries still waiting are moved up (the job had succeeded).
 */
final class StagedOutput {

    static final String STAGING_PREFIX = "_tmp-overwrite-";
    static final String REPLACED_PREFIX = "_old-overwrite-";
    private static final String ALL_MOVED = "_ALL_MOVED";
    private static final Logger LOG = LoggerFactory.getLogger(StagedOutput.class);

    private final FileSystem fs;
    private final Path output;
    private final Path staging;

    private StagedOutput(FileSystem fs, Path output, Path staging) {
        this.fs = fs;
        this.output = output;
        this.staging = staging;
    }

    /** A staging directory in {@code output} for a job that will replace its current entries. */
    static StagedOutput create(FileSystem fs, Path output) throws IOException {
        Path staging = new Path(output, STAGING_PREFIX + UUID.randomUUID());
        if (!fs.mkdirs(staging)) {
            throw new IOException("cannot create staging directory " + staging);
        }
        return new StagedOutput(fs, output, staging);
    }

    /** The directory the job writes to. */
    Path dir() {
        return staging;
    }

    /** Replaces the output's entries with the staged ones. */
    void commit() throws IOException {
        Path replaced = new Path(output, REPLACED_PREFIX + staging.getName().substring(STAGING_PREFIX.length()));
        fs.mkdirs(replaced);
        for (FileStatus old : entries(fs, output)) {
            move(old.getPath(), new Path(replaced, old.getPath().getName()));
        }
        fs.create(new Path(replaced, ALL_MOVED), false).close();
        finish(fs, output, staging, replaced);
        LOG.info("--overwrite: replaced the earlier contents of {}", output);
    }

    /** Deletes the staging directory of a job that did not succeed; the output keeps its old entries. */
    void discard() {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            LOG.warn("cannot delete staging directory {} ({}); the next run on {} removes it", staging, e.getMessage(), output);
        }
    }

    /** Finishes or undoes a swap a crash interrupted, and removes staging directories of jobs that did not finish. */
    static void recover(FileSystem fs, Path output) throws IOException {
        for (FileStatus s : fs.listStatus(output, p -> p.getName().startsWith(REPLACED_PREFIX))) {
            Path replaced = s.getPath();
            Path staging = new Path(output, STAGING_PREFIX + replaced.getName().substring(REPLACED_PREFIX.length()));
            if (fs.exists(new Path(replaced, ALL_MOVED))) {
                LOG.warn("finishing the --overwrite of {} that was interrupted after the old contents were moved aside", output);
                finish(fs, output, staging, replaced);
            } else {
                LOG.warn("undoing the --overwrite of {} that was interrupted while the old contents were moved aside", output);
                for (FileStatus old : fs.listStatus(replaced)) {
                    moveTo(fs, old.getPath(), new Path(output, old.getPath().getName()));
                }
                fs.delete(replaced, true);
                fs.delete(staging, true);
            }
        }
        for (FileStatus s : fs.listStatus(output, p -> p.getName().startsWith(STAGING_PREFIX))) {
            LOG.warn("removing {}, left by a job that did not finish", s.getPath());
            fs.delete(s.getPath(), true);
        }
    }

    /** The entries of an output directory, without the lock and the directories of an overwrite in progress. */
    static FileStatus[] entries(FileSystem fs, Path output) throws IOException {
        return fs.listStatus(output, p -> !p.getName().equals(OutputLock.FILE_NAME)
                && !p.getName().startsWith("." + OutputLock.FILE_NAME)
                && !p.getName().startsWith(STAGING_PREFIX) && !p.getName().startsWith(REPLACED_PREFIX));
    }

    private static void finish(FileSystem fs, Path output, Path staging, Path replaced) throws IOException {
        if (fs.exists(staging)) {
            for (FileStatus s : fs.listStatus(staging)) {
                moveTo(fs, s.getPath(), new Path(output, s.getPath().getName()));
            }
            fs.delete(staging, true);
        }
        fs.delete(replaced, true);
    }

    private void move(Path from, Path to) throws IOException {
        moveTo(fs, from, to);
    }

    private static void moveTo(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot move " + from + " to " + to);
        }
    }
}
