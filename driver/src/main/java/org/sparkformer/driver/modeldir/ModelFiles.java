package org.sparkformer.driver.modeldir;

import org.sparkformer.driver.checkpoint.CheckpointState;
import org.sparkformer.kernels.io.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything in a model directory, independent of the model classes.
 *
 * @param configJson      the model configuration as a JSON object (the kernels' configuration)
 * @param vocab           vocabulary tokens, one per id
 * @param labels          class labels by id; empty for a pretrained model without a head
 * @param weights         the model's tensors
 * @param trainingState   optimizer tensors and run state to resume from, or null
 * @param metrics         final metrics by name (e.g. "validation.accuracy")
 * @param provenance      how the model was made
 */
public record ModelFiles(String configJson, List<String> vocab, List<String> labels, List<Tensor> weights,
                         TrainingState trainingState, Map<String, Double> metrics, Provenance provenance) {

    /** Optimizer state and run position saved with a model so training can continue from it. */
    public record TrainingState(List<Tensor> optimizer, CheckpointState state) {
        public TrainingState {
            optimizer = List.copyOf(optimizer);
            Objects.requireNonNull(state, "state");
        }
    }

    public ModelFiles {
        Objects.requireNonNull(configJson, "configJson");
        vocab = List.copyOf(vocab);
        labels = List.copyOf(labels);
        weights = List.copyOf(weights);
        metrics = Map.copyOf(metrics);
        Objects.requireNonNull(provenance, "provenance");
    }
}
