package org.sparkformer.driver.training;

import org.apache.hadoop.conf.Configuration;
import org.sparkformer.driver.modeldir.DataFingerprint;
import org.sparkformer.driver.modeldir.TrainedModel;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a training run reads besides its settings, as checkpoints record it: the pretrained model a fine-tuning starts
 * from (its path, {@value #PRETRAINED_MODEL}, and digest, {@value #PRETRAINED_SHA256}) and a fingerprint of each data
 * path ({@code data.trainPath.fingerprint}: the files' names, sizes and modification times, see {@link
 * DataFingerprint#ofListing}). The settings alone name the same paths; these tell whether what lies there is still
 * what the checkpoints were trained on, so a resume onto another model or changed data is refused instead of
 * continuing a different run.
 */
public final class RunInputs {

    /** Path of the pretrained model directory, {@value #NONE} for a model trained from scratch. */
    public static final String PRETRAINED_MODEL = "pretrained.model";
    /** {@link TrainedModel#sha256()} of the pretrained model. */
    public static final String PRETRAINED_SHA256 = "pretrained.sha256";
    /** Appended to a data setting's key ({@code data.trainPath}) for the fingerprint of what it names. */
    public static final String FINGERPRINT = ".fingerprint";
    /** The value of {@value #PRETRAINED_MODEL} without a pretrained model. */
    public static final String NONE = "none";
    /** The value of {@value #PRETRAINED_MODEL} for a model handed over in memory, whose path is not known. */
    public static final String IN_MEMORY = "(in memory)";

    private final Map<String, String> values = new TreeMap<>();

    /** Records the fingerprint of {@code paths} (comma-separated paths or globs) under {@code key}; null is skipped. */
    public RunInputs data(Configuration conf, String key, String paths) throws IOException {
        if (paths != null) {
            values.put(key + FINGERPRINT, DataFingerprint.ofPaths(conf, paths));
        }
        return this;
    }

    /** Records the pretrained model read from {@code source} (null: handed over in memory), or none when null. */
    public RunInputs pretrained(String source, TrainedModel model) {
        if (model == null) {
            values.put(PRETRAINED_MODEL, NONE);
        } else {
            values.put(PRETRAINED_MODEL, source == null ? IN_MEMORY : source);
            values.put(PRETRAINED_SHA256, model.sha256());
        }
        return this;
    }

    /** The inputs recorded so far, sorted by key. */
    public Map<String, String> toMap() {
        return Map.copyOf(values);
    }
}
