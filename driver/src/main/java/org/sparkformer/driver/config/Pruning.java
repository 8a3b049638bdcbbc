package org.sparkformer.driver.config;

import org.sparkformer.kernels.compress.MagnitudePruning;

/**
 * Gradual magnitude pruning while training, on Zhu and Gupta's cubic schedule over averaging rounds: after every
 * round the weights that were zero when it started are set to zero again, so pruned weights stay exactly zero across
 * workers, and on a pruning round the smallest weights are zeroed until the schedule's share is reached. Every
 * default is in {@code conf/default.yaml}.
 *
 * @param sparsity   share of the pruned tensors' elements that are zero from {@code endRound} on; 0 is off
 * @param tensors    which weight tensors are pruned, and so which the share counts: encoder (the encoder blocks'
 *                   attention and feed-forward weight matrices), encoder_and_embeddings (also the token and position
 *                   embedding tables) or all (also the task head's weight matrix)
 * @param scope      global (one threshold over all pruned tensors) or layer (the share in every one)
 * @param startRound first round (from 1) that prunes
 * @param endRound   round the final share is reached; 0 means three quarters of the run's rounds
 * @param frequency  rounds between pruning steps
 */
public record Pruning(double sparsity, MagnitudePruning.Tensors tensors, MagnitudePruning.Scope scope, int startRound, int endRound, int frequency) {

    public Pruning {
        Checks.nonNegative("training.pruning.sparsity", sparsity);
        if (sparsity >= 1) {
            throw new IllegalArgumentException("training.pruning.sparsity must be in [0, 1), got " + sparsity);
        }
        Checks.present("training.pruning.tensors", tensors);
        Checks.present("training.pruning.scope", scope);
        Checks.positive("training.pruning.startRound", startRound);
        Checks.nonNegative("training.pruning.endRound", endRound);
        Checks.positive("training.pruning.frequency", frequency);
        if (endRound != 0 && endRound < startRound) {
            throw new IllegalArgumentException("training.pruning.endRound " + endRound + " is before startRound "
                    + startRound);
        }
    }

    /** True when pruning is switched on. */
    public boolean enabled() {
        return sparsity > 0;
    }

    /** The round the final share is reached in a run of {@code rounds} rounds. */
    public int endRoundOf(int rounds) {
        int end = endRound == 0 ? (int) Math.ceil(0.75 * rounds) : endRound;
        return Math.max(Math.min(end, rounds), Math.min(startRound, rounds));
    }
}
