package org.sparkformer.driver.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.TrainedModel;

import java.io.IOException;
import java.util.Map;

/**
 * Where a fine-tuning stage starts: an encoder given with {@code setPretrained(model)}, a model directory given with
 * {@code pretrainedModelPath}, or fresh weights. A stage holding an encoder saves it with itself, as a model
 * directory under {@code pretrained/}, so that a saved {@code Pipeline} or {@code CrossValidator} keeps it.
 */
final class PretrainedStart {

    private static final String DIR = "pretrained";
    private static final String UID = "pretrainedUid";

    private PretrainedStart() {
    }

    /** Hands {@code tuner} the encoder or the model at {@code path}; setting both is an error naming the stage. */
    static void apply(FineTuner tuner, SparkSession spark, SparkformerEncoderModel encoder, String path, String stage)
            throws IOException {
        if (encoder != null && path != null) {
            throw new IllegalArgumentException(stage + ": both setPretrained(" + encoder.uid() + ") and pretrainedModelPath "
                    + path + " are set; set one");
        }
        if (encoder != null) {
            tuner.setPretrained(encoder.trainedModel());
        } else if (path != null) {
            Path dir = new Path(path);
            tuner.setPretrained(TrainedModel.load(dir.getFileSystem(spark.sparkContext().hadoopConfiguration()), dir), path);
        }
    }

    /** The metadata fields that record a held encoder. */
    static Map<String, String> fields(SparkformerEncoderModel encoder) {
        return encoder == null ? Map.of() : Map.of(UID, encoder.uid());
    }

    /** Writes a held encoder's model directory into a stage being saved; null when there is none. */
    static StageWriter.Content content(SparkformerEncoderModel encoder) {
        if (encoder == null) {
            return null;
        }
        return (fs, dir) -> encoder.trainedModel().save(fs, new Path(dir, DIR), encoder.trainingMetrics(),
                encoder.provenance(), null, false);
    }

    /** The encoder a saved stage holds, or null. */
    static SparkformerEncoderModel read(ObjectNode metadata, FileSystem fs, Path dir) throws IOException {
        if (!metadata.has(UID)) {
            return null;
        }
        String uid = StageMetadata.text(metadata, UID, new Path(dir, StageMetadata.FILE));
        Path modelDir = new Path(dir, DIR);
        ModelFiles files = TrainedModel.readFiles(fs, modelDir);
        return new SparkformerEncoderModel(uid, TrainedModel.fromFiles(files, modelDir.toString()), files.metrics(),
                files.provenance());
    }
}
