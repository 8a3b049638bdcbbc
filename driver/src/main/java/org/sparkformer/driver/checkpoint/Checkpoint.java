package org.sparkformer.driver.checkpoint;

import org.sparkformer.kernels.io.Tensor;

import java.util.List;

/**
 * One checkpoint: model parameters and optimizer state as named tensors, plus the run state.
 * A model with one flat parameter vector uses a single tensor (e.g. "params" of shape [n]).
 */
public record Checkpoint(CheckpointState state, List<Tensor> params, List<Tensor> optimizer) {

    public Checkpoint {
        params = List.copyOf(params);
        optimizer = List.copyOf(optimizer);
    }

    public int round() {
        return state.round();
    }
}
