package org.sparkformer.data.batch;

import java.io.Serializable;

/**
 * A point in a partition's stream of batches: batch {@code batch} (0-based) of epoch {@code epoch}. A resumed job
 * starts its {@link MiniBatchIterator} here.
 */
public record BatchPosition(int epoch, int batch) implements Serializable {

    public BatchPosition {
        if (epoch < 0 || batch < 0) {
            throw new IllegalArgumentException("epoch and batch must be >= 0, got epoch " + epoch + ", batch " + batch);
        }
    }

    public static BatchPosition start() {
        return new BatchPosition(0, 0);
    }
}
