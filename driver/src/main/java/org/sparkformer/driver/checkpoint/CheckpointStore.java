package org.sparkformer.driver.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.storage.StagedDirectory;
import org.sparkformer.driver.storage.VerifiedDirectory;
import org.sparkformer.kernels.io.ChecksumManifest;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints under one directory on any Hadoop file system:
 * <pre>
 *   round-000012/params.safetensors      model parameters
 *   round-000012/optimizer.safetensors   optimizer state
 *   round-000012/state.json              {@link CheckpointState}
 *   round-000012/MANIFEST.json           written last: sha256 + size of the three files
 * </pre>
 * A checkpoint is written as {@code _tmp-round-000012-<uuid>}, renamed, then completed by creating the
 * manifest without overwrite. Readers trust only directories with a manifest whose digests match.
 * Clean-up keeps the newest {@code keepLast} complete checkpoints by round number (never by modification
 * time) plus the best one by validation metric, and removes temporary and incomplete directories; it is
 * safe to run after a crash at any point, and runs after every write.
 */
public final class CheckpointStore {

    public static final String PARAMS = "params.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String MANIFEST = "MANIFEST.json";
    private static final String TMP_PREFIX = "_tmp-";
    private static final int MAX_MANIFEST_BYTES = 1 << 20;
    private static final Pattern ROUND_DIR = Pattern.compile("round-(\\d{6,})");
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final FileSystem fs;
    private final Path dir;
    private final int keepLast;
    private final MetricGoal goal;

    public CheckpointStore(FileSystem fs, Path dir, int keepLast, MetricGoal goal) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be at least 1, got " + keepLast);
        }
        this.fs = fs;
        this.dir = dir;
        this.keepLast = keepLast;
        this.goal = goal;
    }

    public Path dir() {
        return dir;
    }

    /** Directory name of round {@code round}. */
    public static String dirName(int round) {
        return String.format("round-%06d", round);
    }

    /** Commits a checkpoint, then cleans up; returns its directory. */
    public Path write(Checkpoint checkpoint) throws IOException {
        Path committed = commit(checkpoint);
        cleanUp();
        return committed;
    }

    /**
     * Writes and commits a checkpoint without cleaning up: stage, rename, manifest last. An existing
     * directory for the same round (a previous attempt, complete or not) is replaced, but deleted only once the
     * replacement is complete: until then it waits beside it as {@code _old-round-NNNNNN-<uuid>}, and a crash
     * before the manifest gives it back its place ({@link #recoverReplaced}).
     */
    public Path commit(Checkpoint checkpoint) throws IOException {
        fs.mkdirs(dir);
        String name = dirName(checkpoint.round());
        StagedDirectory.recover(fs, new Path(dir, name), this::isCommitted);
        StagedDirectory staged = StagedDirectory.create(fs, dir, TMP_PREFIX + name);
        try {
            staged.write(PARAMS, out -> SafeTensors.write(out, checkpoint.params(), Map.of("round", "" + checkpoint.round())));
            staged.write(OPTIMIZER, out -> SafeTensors.write(out, checkpoint.optimizer(), Map.of("round", "" + checkpoint.round())));
            staged.write(STATE, out -> out.write(JSON.writeValueAsBytes(checkpoint.state())));
            Path target = new Path(dir, name);
            Path aside = staged.replace(target);
            Path manifest = new Path(target, MANIFEST);
            try (FSDataOutputStream out = fs.create(manifest, false)) {
                out.write(staged.manifest().toBytes());
            } catch (IOException e) {
                throw StagedDirectory.writeFailed(manifest, e);
            }
            if (aside != null) {
                LOG.warn("replaced earlier checkpoint directory {}", target);
                fs.delete(aside, true);
            }
            LOG.info("checkpoint {} written", target);
            return target;
        } catch (IOException | RuntimeException e) {
            staged.discard();
            throw e;
        }
    }

    /** The newest checkpoint that is complete and intact, skipping (with a warning) any that are not. */
    public Optional<Checkpoint> latestComplete() throws IOException {
        return latestComplete(null);
    }

    /** As {@link #latestComplete()}, also requiring the parameter tensors to have exactly these shapes. */
    public Optional<Checkpoint> latestComplete(Map<String, long[]> expectedParamShapes) throws IOException {
        recoverReplaced();
        List<Integer> rounds = new ArrayList<>(roundDirectories());
        rounds.sort(Comparator.reverseOrder());
        for (int round : rounds) {
            try {
                return Optional.of(read(round, expectedParamShapes));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("skipping checkpoint {}: {}", new Path(dir, dirName(round)), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Reads and verifies the checkpoint of {@code round}; errors name the directory and file. */
    public Checkpoint read(int round, Map<String, long[]> expectedParamShapes) throws IOException {
        Path roundDir = new Path(dir, dirName(round));
        VerifiedDirectory verified = VerifiedDirectory.open(fs, roundDir, MANIFEST);
        for (String required : List.of(PARAMS, OPTIMIZER, STATE)) {
            if (!verified.has(required)) {
                throw new IOException(roundDir + ": " + MANIFEST + " does not list " + required);
            }
        }
        CheckpointState state = readState(verified);
        if (state.round() != round) {
            throw new IOException(roundDir + ": " + STATE + " says round " + state.round());
        }
        List<Tensor> params = readTensors(verified, PARAMS, expectedParamShapes);
        List<Tensor> optimizer = readTensors(verified, OPTIMIZER, null);
        return new Checkpoint(state, params, optimizer);
    }

    private static CheckpointState readState(VerifiedDirectory verified) throws IOException {
        try (InputStream in = verified.open(STATE)) {
            return JSON.readValue(in.readNBytes(1 << 20), CheckpointState.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(verified.dir() + "/" + STATE + ": " + e.getOriginalMessage());
        }
    }

    private static List<Tensor> readTensors(VerifiedDirectory verified, String name, Map<String, long[]> expected)
            throws IOException {
        try (FSDataInputStream in = verified.open(name)) {
            return SafeTensors.read(in, verified.size(name), expected, verified.dir() + "/" + name).tensors();
        }
    }

    /** Rounds of every {@code round-NNNNNN} directory, complete or not, ascending. */
    public List<Integer> roundDirectories() throws IOException {
        List<Integer> rounds = new ArrayList<>();
        for (FileStatus s : list()) {
            Matcher m = ROUND_DIR.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches()) {
                rounds.add(Integer.parseInt(m.group(1)));
            }
        }
        rounds.sort(null);
        return rounds;
    }

    /**
     * Rounds whose directory holds a well-formed manifest, ascending. The digests are not verified here;
     * a manifest cut short by a crash while it was written does not count.
     */
    public List<Integer> committedRounds() throws IOException {
        List<Integer> rounds = new ArrayList<>();
        for (int round : roundDirectories()) {
            if (hasWellFormedManifest(new Path(new Path(dir, dirName(round)), MANIFEST))) {
                rounds.add(round);
            }
        }
        return rounds;
    }

    /**
     * Round directories moved aside by a commit that did not complete take their place again (the interrupted
     * replacement is deleted); those whose replacement did complete are deleted.
     */
    public void recoverReplaced() throws IOException {
        Pattern aside = Pattern.compile(StagedDirectory.OLD_PREFIX + "(round-\\d{6,})-.*");
        for (FileStatus s : list()) {
            Matcher m = aside.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches()) {
                StagedDirectory.recover(fs, new Path(dir, m.group(1)), this::isCommitted);
            }
        }
    }

    private boolean isCommitted(Path roundDir) throws IOException {
        return hasWellFormedManifest(new Path(roundDir, MANIFEST));
    }

    private boolean hasWellFormedManifest(Path manifest) throws IOException {
        if (!fs.exists(manifest)) {
            return false;
        }
        try (FSDataInputStream in = fs.open(manifest)) {
            ChecksumManifest.parse(in.readNBytes(MAX_MANIFEST_BYTES), manifest.toString());
            return true;
        } catch (ModelFileException e) {
            return false;
        }
    }

    /**
     * Removes temporary directories, round directories without a well-formed manifest (interrupted commits), and
     * committed checkpoints beyond the newest {@code keepLast} by round number, except the best by metric.
     */
    public void cleanUp() throws IOException {
        recoverReplaced();
        for (FileStatus s : list()) {
            if (s.getPath().getName().startsWith(TMP_PREFIX)) {
                delete(s.getPath(), "temporary directory");
            }
        }
        List<Integer> committed = committedRounds();
        for (int round : roundDirectories()) {
            if (!committed.contains(round)) {
                delete(new Path(dir, dirName(round)), "incomplete checkpoint (no complete manifest)");
            }
        }
        Set<Integer> keep = new TreeSet<>(committed.subList(Math.max(0, committed.size() - keepLast), committed.size()));
        bestRound(committed).ifPresent(keep::add);
        for (int round : committed) {
            if (!keep.contains(round)) {
                delete(new Path(dir, dirName(round)), "old checkpoint");
            }
        }
    }

    /** Round of the committed checkpoint with the best validation metric, if any was measured. */
    public Optional<Integer> bestRound() throws IOException {
        return bestRound(committedRounds());
    }

    private Optional<Integer> bestRound(List<Integer> committed) {
        Integer best = null;
        Double bestValue = null;
        for (int round : committed) {
            Double metric = metricOf(round);
            if (metric != null && goal.better(metric, bestValue)) {
                best = round;
                bestValue = metric;
            }
        }
        return Optional.ofNullable(best);
    }

    private Double metricOf(int round) {
        Path state = new Path(new Path(dir, dirName(round)), STATE);
        try (FSDataInputStream in = fs.open(state)) {
            return JSON.readValue(in.readNBytes(1 << 20), CheckpointState.class).validationMetric();
        } catch (IOException e) {
            return null;
        }
    }

    private void delete(Path path, String what) throws IOException {
        LOG.info("removing {} {}", what, path);
        fs.delete(path, true);
    }

    private FileStatus[] list() throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }
}
