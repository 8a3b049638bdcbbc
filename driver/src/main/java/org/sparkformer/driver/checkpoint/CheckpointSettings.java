package org.sparkformer.driver.checkpoint;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where checkpoints go and whether to resume from them.
 *
 * @param fs      file system of {@code dir}
 * @param dir     checkpoint directory (any Hadoop path)
 * @param resume  continue from the newest complete checkpoint in {@code dir}, if any
 * @param history a file on {@code fs} that holds the rounds' figures up to the newest checkpoint (rewritten before
 *                each one), from which a resumed run takes the rounds before the resume; null: none is kept, and a
 *                resumed run's history starts at the resume
 */
public record CheckpointSettings(FileSystem fs, Path dir, boolean resume, Path history) {

    /** Checkpoints in {@code dir} without a history file. */
    public CheckpointSettings(FileSystem fs, Path dir, boolean resume) {
        this(fs, dir, resume, null);
    }
}
