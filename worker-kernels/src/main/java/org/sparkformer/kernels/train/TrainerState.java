package org.sparkformer.kernels.train;

/**
 * Everything a {@link LocalTrainer} needs to continue exactly where it stopped: flat parameters, flat optimizer
 * state and the number of optimizer steps taken.
 */
public record TrainerState(float[] parameters, float[] optimizerState, long step) {
}
