package org.sparkformer.driver.executor;

import java.io.Serializable;

/**
 * Which parts of the encoder stay fixed while fine-tuning.
 *
 * @param embeddings  keep the token and position embeddings fixed
 * @param lowerLayers keep the lowest N encoder blocks fixed
 */
public record FreezeSpec(boolean embeddings, int lowerLayers) implements Serializable {

    public static final FreezeSpec NONE = new FreezeSpec(false, 0);

    public FreezeSpec {
        if (lowerLayers < 0) {
            throw new IllegalArgumentException("frozen layers must not be negative, got " + lowerLayers);
        }
    }

    public boolean any() {
        return embeddings || lowerLayers > 0;
    }
}
