package org.sparkformer.driver.training;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.config.Pruning;
import org.sparkformer.kernels.compress.MagnitudePruning;
import org.sparkformer.kernels.compress.SparsitySchedule;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.List;

/**
 * Gradual magnitude pruning applied on the driver to the averaged parameters of every round: the elements of the
 * pruned tensors ({@link Pruning#tensors()}) that were zero at the start of the round are set to zero again (local
 * training moved them on every worker), then, on a pruning round of the {@link SparsitySchedule}, the smallest are
 * zeroed until the schedule's share of those tensors is reached. The next round is broadcast from these parameters, so every worker starts from the same zeros.
 */
public final class GradualPruning {

    private static final Logger LOG = LoggerFactory.getLogger(GradualPruning.class);

    private final SparsitySchedule schedule;
    private final MagnitudePruning.Scope scope;
    private final List<MagnitudePruning.Segment> segments;

    public GradualPruning(SparsitySchedule schedule, MagnitudePruning.Scope scope, List<MagnitudePruning.Segment> segments) {
        this.schedule = schedule;
        this.scope = scope;
        this.segments = List.copyOf(segments);
    }

    /** The pruning {@code config} asks for over a run of {@code rounds} rounds of {@code model}, or null when off. */
    public static GradualPruning of(Pruning config, TransformerConfig model, int rounds) {
        if (!config.enabled() || rounds == 0) {
            return null;
        }
        int end = config.endRoundOf(rounds);
        SparsitySchedule schedule = new SparsitySchedule(config.sparsity(), Math.min(config.startRound(), end), end,
                config.frequency());
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(new TransformerModel(model), config.tensors());
        LOG.info("pruning {} tensors ({}, {} weights) to sparsity {} ({}) from round {} to round {}, every {} rounds",
                segments.size(), config.tensors().id(), segments.stream().mapToLong(MagnitudePruning.Segment::length).sum(),
                config.sparsity(), config.scope().id(), schedule.startRound(), end, config.frequency());
        return new GradualPruning(schedule, config.scope(), segments);
    }

    /**
     * The parameters to keep after round {@code round} (from 1): {@code averaged} with the zeros of {@code start}
     * restored and, on a pruning round, pruned to the schedule's share. {@code averaged} is changed in place.
     */
    public float[] afterRound(float[] start, float[] averaged, int round) {
        MagnitudePruning.keepZeros(averaged, start, segments);
        if (schedule.prunesAt(round)) {
            MagnitudePruning.prune(averaged, segments, schedule.sparsityAt(round), scope);
            LOG.info("round {}: pruned to sparsity {}", round, String.format("%.3f",
                    MagnitudePruning.overallSparsity(averaged, segments)));
        }
        return averaged;
    }

    /** Whether the final share is reached after round {@code round}: validation counts from then on. */
    public boolean complete(int round) {
        return round >= schedule.endRound();
    }
}
