package org.sparkformer.driver.compression;

import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.compress.MagnitudePruning;
import org.sparkformer.kernels.compress.StructuredPruning;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.List;

/**
 * Applies a {@link CompressionRecipe} to a trained model on the driver: structured pruning (ranked on calibration
 * batches when the importance is Taylor), then magnitude pruning, then storage in the recipe's format.
 */
public final class CompressionSteps {

    private CompressionSteps() {
    }

    /**
     * The compressed model and what was removed.
     *
     * @param compressed the model as it reads back from its stored form
     * @param kept       heads and neurons each block kept (indices into the original ones), or null when the recipe
     *                   prunes no structure
     */
    public record Outcome(CompressedModel compressed, StructuredPruning.Kept kept) {
    }

    /**
     * @param calibration labelled batches for Taylor importance; unused otherwise
     */
    public static Outcome apply(TrainedModel model, CompressionRecipe recipe, List<MiniBatch> calibration) {
        TransformerModel current = model.build();
        StructuredPruning.Kept kept = null;
        if (recipe.prunesStructure()) {
            StructuredPruning.Importance importance = recipe.importance() == CompressionRecipe.Importance.TAYLOR
                    ? StructuredPruning.taylor(current, calibration)
                    : StructuredPruning.magnitude(current);
            kept = StructuredPruning.keep(importance, recipe.headShare(), recipe.ffnShare());
            current = StructuredPruning.prune(current, kept);
        }
        float[] params = current.parametersAsFloats();
        if (recipe.sparsity() > 0) {
            MagnitudePruning.prune(params, MagnitudePruning.segments(current, recipe.tensors()), recipe.sparsity(),
                    recipe.scope());
        }
        TrainedModel pruned = new TrainedModel(current.config(), model.tokenizerSettings(), model.vocabulary(),
                model.labels(), params);
        return new Outcome(CompressedModel.stored(pruned, recipe.format()), kept);
    }
}
