package org.sparkformer.driver.listeners;

import org.sparkformer.driver.averaging.RoundResult;
import org.sparkformer.driver.checkpoint.MetricGoal;

import java.io.Serializable;

/**
 * Where training stands, as listeners see it: the latest round's figures, the best validation metric so
 * far, and a stop request any listener can raise. Updated by the training loop only, read by listeners.
 */
public final class TrainingState implements Serializable {

    private final int totalRounds;
    private final MetricGoal goal;
    private int round;
    private double loss = Double.NaN;
    private double tokensPerSecond;
    private long broadcastNanos;
    private long computeNanos;
    private long aggregateNanos;
    private long elapsedNanos;
    private long examples;
    private long tokens;
    private long resultsOnChannel;
    private long resultsRefused;
    private long steps;
    private double epochs;
    private double learningRate = Double.NaN;
    private Double validationMetric;
    private Double bestMetric;
    private int bestRound = -1;
    private boolean shouldStop;
    private String stopReason;

    public TrainingState(int totalRounds, MetricGoal goal) {
        this.totalRounds = totalRounds;
        this.goal = goal;
    }

    /** Records round {@code round} (1-based: rounds completed) and the time since training started. */
    public void afterRound(int round, RoundResult result, long elapsedNanos) {
        this.round = round;
        this.loss = result.meanLoss();
        this.tokensPerSecond = result.tokensPerSecond();
        this.broadcastNanos = result.broadcastNanos();
        this.computeNanos = result.computeNanos();
        this.aggregateNanos = result.aggregateNanos();
        this.elapsedNanos = elapsedNanos;
        this.examples += result.examples();
        this.tokens += result.tokens();
        this.resultsOnChannel += result.resultsOnChannel();
        this.resultsRefused += result.resultsRefused();
    }

    /**
     * Records where the schedule stands after the current round: optimizer steps per worker completed, epochs completed
     * (a fraction: minibatches consumed over the largest partition's minibatches per epoch) and the learning rate of the
     * round's last step.
     */
    public void atStep(long steps, double epochs, double learningRate) {
        this.steps = steps;
        this.epochs = epochs;
        this.learningRate = learningRate;
    }

    /** Partition results that came back on the round channel, over all rounds so far. */
    public long resultsOnChannel() {
        return resultsOnChannel;
    }

    /**
     * Results the round channel refused (an attempt Spark did not launch, a second result for a partition), over all
     * rounds so far.
     */
    public long resultsRefused() {
        return resultsRefused;
    }

    /** Records a validation measurement at the current round; returns true when it is the best so far. */
    public boolean recordValidation(double metric) {
        this.validationMetric = metric;
        if (goal.better(metric, bestMetric)) {
            bestMetric = metric;
            bestRound = round;
            return true;
        }
        return false;
    }

    /** Asks the training loop to stop after the current round. */
    public void requestStop(String reason) {
        if (!shouldStop) {
            shouldStop = true;
            stopReason = reason;
        }
    }

    /** Estimated time to finish, from the mean round time so far. */
    public long etaNanos() {
        return round == 0 ? 0 : elapsedNanos / round * Math.max(0, totalRounds - round);
    }

    public int round() { return round; }
    public int totalRounds() { return totalRounds; }
    public double loss() { return loss; }
    public double tokensPerSecond() { return tokensPerSecond; }
    public long broadcastNanos() { return broadcastNanos; }
    public long computeNanos() { return computeNanos; }
    public long aggregateNanos() { return aggregateNanos; }
    public long elapsedNanos() { return elapsedNanos; }
    public long examples() { return examples; }
    public long tokens() { return tokens; }
    public long steps() { return steps; }
    public double epochs() { return epochs; }
    public double learningRate() { return learningRate; }
    public Double validationMetric() { return validationMetric; }
    public Double bestMetric() { return bestMetric; }
    public int bestRound() { return bestRound; }
    public MetricGoal goal() { return goal; }
    public boolean shouldStop() { return shouldStop; }
    public String stopReason() { return stopReason; }
}
