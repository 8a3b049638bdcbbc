/**
 * Checkpoints of a training run on any Hadoop file system. A checkpoint is written under a temporary
 * name, renamed to {@code round-NNNNNN}, and only then made complete by writing {@code MANIFEST.json}
 * (SHA-256 and size of each file), so a reader that sees the manifest sees finished files even on object
 * stores without atomic directory renames. {@link org.sparkformer.driver.checkpoint.CheckpointStore}
 * finds the newest complete checkpoint, skipping incomplete or corrupt ones, and keeps the newest few
 * plus the best by validation metric; {@link org.sparkformer.driver.checkpoint.CheckpointSettings} says where a
 * run writes them and whether it resumes.
 */
package org.sparkformer.driver.checkpoint;
