package org.sparkformer.driver.modeldir;

import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.io.ModelFileException;

/**
 * Upper bounds a model directory's configuration must keep before anything it describes is allocated: one per
 * dimension (every block's feed-forward width in {@code dFfPerLayer} included; its head counts are bounded by
 * {@code heads}), far above any model this project trains, and one on the total size of the weights. The total is
 * {@value #DEFAULT_MAX_WEIGHT_BYTES} bytes (4 GiB of F32 weights) unless the JVM property
 * {@value #MAX_WEIGHT_BYTES_PROPERTY} says otherwise (e.g. {@code -Dsparkformer.model.maxWeightBytes=17179869184}).
 */
public final class ModelLimits {

    /** JVM property raising or lowering the limit on a model's weights, in bytes. */
    public static final String MAX_WEIGHT_BYTES_PROPERTY = "sparkformer.model.maxWeightBytes";
    /** The limit on a model's weights when the property is not set: 4 GiB. */
    public static final long DEFAULT_MAX_WEIGHT_BYTES = 4L << 30;
    public static final int MAX_VOCAB_SIZE = 1 << 21;
    public static final int MAX_LENGTH = 1 << 16;
    public static final int MAX_D_MODEL = 1 << 14;
    public static final int MAX_LAYERS = 256;
    public static final int MAX_HEADS = 1 << 10;
    public static final int MAX_D_FF = 1 << 16;
    public static final int MAX_LABELS = 1 << 20;
    /** Longest label a model directory may hold, in characters. */
    public static final int MAX_LABEL_LENGTH = 200;

    private ModelLimits() {
    }

    /** The limit on a model's weights in bytes. */
    public static long maxWeightBytes() {
        String value = System.getProperty(MAX_WEIGHT_BYTES_PROPERTY);
        if (value == null) {
            return DEFAULT_MAX_WEIGHT_BYTES;
        }
        try {
            long limit = Long.parseLong(value.trim());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(MAX_WEIGHT_BYTES_PROPERTY + " must be a positive number of bytes, got '" + value + "'");
    }

    /**
     * Checks every dimension of {@code c} and the bytes of its F32 weights against the limits; returns the
     * parameter count.
     */
    static long check(TransformerConfig c, String source) throws ModelFileException {
        bound(source, "vocabSize", c.vocabSize(), MAX_VOCAB_SIZE);
        bound(source, "maxLength", c.maxLength(), MAX_LENGTH);
        bound(source, "dModel", c.dModel(), MAX_D_MODEL);
        bound(source, "layers", c.layers(), MAX_LAYERS);
        bound(source, "heads", c.heads(), MAX_HEADS);
        bound(source, "dFf", c.dFf(), MAX_D_FF);
        for (int i = 0; i < c.dFfPerLayer().size(); i++) {
            bound(source, "dFfPerLayer[" + i + "]", c.dFfPerLayer().get(i), MAX_D_FF);
        }
        bound(source, "numLabels", c.numLabels(), MAX_LABELS);
        long count;
        try {
            count = ModelShapes.parameterCount(c);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE / 4;
        }
        long limit = maxWeightBytes();
        if (count > (Integer.MAX_VALUE - 8) || count * 4 > limit) {
            throw new ModelFileException(source + ": the model it describes has " + count + " parameters (" + count * 4
                    + " bytes of F32 weights), more than the limit of " + limit + " bytes (-D" + MAX_WEIGHT_BYTES_PROPERTY + ")");
        }
        return count;
    }

    private static void bound(String source, String key, int value, int max) throws ModelFileException {
        if (value > max) {
            throw new ModelFileException(source + ": model." + key + " " + value + " exceeds the limit of " + max);
        }
    }
}
