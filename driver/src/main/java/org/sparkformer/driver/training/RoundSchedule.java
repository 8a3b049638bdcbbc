package org.sparkformer.driver.training;

import org.sparkformer.driver.config.TrainingSection;

/**
 * How many optimizer steps each worker takes in each averaging round: one per round during the
 * averaging warm-up, then the averaging frequency K, until the total is reached.
 *
 * @param totalSteps   optimizer steps per worker over the whole run
 * @param warmupRounds rounds that average after every step
 * @param frequency    steps per round after the warm-up (K)
 */
public record RoundSchedule(long totalSteps, int warmupRounds, int frequency) {

    public RoundSchedule {
        if (totalSteps < 0 || warmupRounds < 0 || frequency < 1) {
            throw new IllegalArgumentException("invalid round schedule: totalSteps " + totalSteps + ", warmupRounds "
                    + warmupRounds + ", frequency " + frequency);
        }
    }

    public static RoundSchedule of(TrainingSection t, long totalSteps) {
        return new RoundSchedule(totalSteps, t.averagingWarmupRounds(), t.averagingFrequency());
    }

    /** Steps completed before round {@code round} (0-based) starts. */
    public long stepsBefore(int round) {
        long warm = Math.min(round, warmupRounds);
        long steps = warm + (long) (round - warm) * frequency;
        return Math.min(steps, totalSteps);
    }

    /** Steps taken in round {@code round}. */
    public int stepsIn(int round) {
        return (int) (stepsBefore(round + 1) - stepsBefore(round));
    }

    /** Rounds needed to take every step. */
    public int rounds() {
        if (totalSteps <= warmupRounds) {
            return (int) totalSteps;
        }
        return (int) (warmupRounds + (totalSteps - warmupRounds + frequency - 1) / frequency);
    }
}
