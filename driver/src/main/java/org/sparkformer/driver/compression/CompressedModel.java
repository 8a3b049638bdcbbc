package org.sparkformer.driver.compression;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.ModelFiles;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.compress.WeightFormat;
import org.sparkformer.kernels.compress.WeightStorage;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model together with how its weight matrices are to be stored. {@link #model()} holds the parameters as
 * they read back (int8 already dequantized, 16-bit floats already rounded), so what is measured on it is what every
 * command computes after loading the saved directory.
 *
 * @param model   the parameters as they read back from the stored form
 * @param storage how each weight matrix is stored
 */
public record CompressedModel(TrainedModel model, WeightStorage storage) {

    /**
     * {@code model} with every weight matrix stored in {@code format}; matrices with enough zeros (after conversion)
     * take the bitmask layout, which is then smaller.
     */
    public static CompressedModel stored(TrainedModel model, WeightFormat format) {
        List<Tensor> weights = model.weights();
        WeightStorage storage = WeightStorage.choose(weights, format);
        Map<String, Tensor> readBack = new HashMap<>();
        try {
            storage.decode(storage.encode(weights), "compressed weights").forEach(t -> readBack.put(t.name(), t));
        } catch (IOException e) {
            throw new IllegalStateException("weights do not read back as they were stored", e);
        }
        float[] params = new float[model.params().length];
        int at = 0;
        for (Tensor t : weights) {
            float[] values = readBack.get(t.name()).data();
            System.arraycopy(values, 0, params, at, values.length);
            at += values.length;
        }
        TrainedModel converted = new TrainedModel(model.config(), model.tokenizerSettings(), model.vocabulary(),
                model.labels(), params);
        return new CompressedModel(converted, storage);
    }

    /** The model directory's files. */
    public ModelFiles files(Map<String, Double> metrics, Provenance provenance) {
        return model.toFiles(metrics, provenance, storage);
    }

    /** Writes the model directory (checksums included); see {@link ModelDirectory#write}. */
    public void save(FileSystem fs, Path dir, Map<String, Double> metrics, Provenance provenance, boolean overwrite)
            throws IOException {
        ModelDirectory.write(fs, dir, files(metrics, provenance), overwrite);
    }

    /** Bytes of model.safetensors as it is written. */
    public long weightFileBytes() {
        return SafeTensors.serializedSize(storage.encode(model.weights()), ModelDirectory.WEIGHTS_METADATA);
    }
}
