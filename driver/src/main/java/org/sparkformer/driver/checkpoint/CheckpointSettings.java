package org.sparkformer.driver.checkpoint;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where checkpoints go and whether to resume from them.
 *
 * @param fs     file system of {@code dir}
 * @param dir    checkpoint directory (any Hadoop path)
 * @param resume continue from the newest complete checkpoint in {@code dir}, if any
 */
public record CheckpointSettings(FileSystem fs, Path dir, boolean resume) {
}
