package org.sparkformer.driver.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Loads a stage saved by {@link StageWriter}: checks its metadata names the expected class, builds the stage with the
 * saved uid (and, for a model, its model directory), then restores the saved parameter values.
 */
final class StageReader<T extends Params> extends MLReader<T> {

    /** Builds the stage from its uid, metadata and saved directory. */
    @FunctionalInterface
    interface Factory<T> {
        T create(String uid, ObjectNode metadata, FileSystem fs, Path dir) throws IOException;
    }

    private final Class<T> type;
    private final Factory<T> factory;

    StageReader(Class<T> type, Factory<T> factory) {
        this.type = type;
        this.factory = factory;
    }

    @Override
    public T load(String path) {
        Path dir = new Path(path);
        try {
            FileSystem fs = dir.getFileSystem(sc().hadoopConfiguration());
            ObjectNode metadata = StageMetadata.read(fs, dir, type);
            T stage = factory.create(StageMetadata.text(metadata, "uid", dir), metadata, fs, dir);
            StageMetadata.applyTo(metadata, stage, new Path(dir, StageMetadata.FILE).toString());
            return stage;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load a " + type.getSimpleName() + " from " + path + ": " + e.getMessage(), e);
        }
    }
}
