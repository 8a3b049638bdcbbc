package org.sparkformer.kernels.compress;

/**
 * The gradual pruning schedule of Zhu and Gupta (2017): the share of zero weights grows from 0 at round
 * {@code startRound} to {@code finalSparsity} at round {@code endRound} along {@code s_t = s_f (1 - (1 - (t - t_0) /
 * (t_end - t_0))^3)}, fast at first while many weights are redundant and slowly near the end, then stays there. It is
 * applied every {@code frequency} rounds (and always at {@code endRound}).
 *
 * @param finalSparsity the share reached at {@code endRound}, in [0, 1)
 * @param startRound    the first round that prunes (rounds count from 1)
 * @param endRound      the round the final share is reached; at least {@code startRound}
 * @param frequency     rounds between pruning steps, at least 1
 */
public record SparsitySchedule(double finalSparsity, int startRound, int endRound, int frequency) {

    public SparsitySchedule {
        MagnitudePruning.requireSparsity(finalSparsity);
        if (startRound < 1 || endRound < startRound) {
            throw new IllegalArgumentException("pruning rounds " + startRound + " to " + endRound
                    + " must satisfy 1 <= start <= end");
        }
        if (frequency < 1) {
            throw new IllegalArgumentException("pruning frequency " + frequency + " must be at least 1 round");
        }
    }

    /** Whether round {@code round} (from 1) prunes. */
    public boolean prunesAt(int round) {
        if (finalSparsity == 0 || round < startRound) {
            return false;
        }
        return round >= endRound || (round - startRound) % frequency == 0;
    }

    /** The target share of zeros after round {@code round}. */
    public double sparsityAt(int round) {
        if (round < startRound) {
            return 0;
        }
        if (round >= endRound) {
            return finalSparsity;
        }
        double progress = (round - startRound) / (double) (endRound - startRound);
        return finalSparsity * (1 - Math.pow(1 - progress, 3));
    }
}
