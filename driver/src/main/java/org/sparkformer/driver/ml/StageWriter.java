package org.sparkformer.driver.ml;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;
import org.sparkformer.driver.storage.OutputLock;
import org.sparkformer.driver.storage.StagedDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Saves a stage: its {@link StageMetadata} and, for a model, the model directory, written under a temporary
 * name next to the target and renamed into place when complete, holding the output lock of the directory it is
 * written into (as the command line's jobs do). {@code overwrite()} replaces an existing target.
 */
final class StageWriter extends MLWriter {

    /** Further content written into the staged directory (e.g. the model directory). */
    @FunctionalInterface
    interface Content {
        void writeTo(FileSystem fs, Path staged) throws IOException;
    }

    private final Params stage;
    private final Map<String, String> fields;
    private final Content content;

    StageWriter(Params stage, Map<String, String> fields, Content content) {
        this.stage = stage;
        this.fields = Map.copyOf(fields);
        this.content = content;
    }

    @Override
    public void saveImpl(String path) {
        Path target = new Path(path);
        try {
            FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
            target = fs.makeQualified(target);
            Path parent = target.getParent();
            try (OutputLock lock = OutputLock.acquire(fs, parent, "save " + stage.uid())) {
                StagedDirectory staged = StagedDirectory.create(fs, parent, "_tmp-" + target.getName());
                try {
                    StageMetadata.write(stage, sparkSession().version(), fields, staged);
                    if (content != null) {
                        content.writeTo(fs, staged.path());
                    }
                    staged.renameTo(target);
                } catch (IOException | RuntimeException e) {
                    staged.discard();
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + stage.uid() + " to " + path + ": " + e.getMessage(), e);
        }
    }
}
