package org.sparkformer.driver.averaging;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.executor.ChannelProtocol;
import org.sparkformer.driver.executor.PackedFloats;
import org.sparkformer.driver.executor.PartialResult;
import org.sparkformer.driver.executor.PartitionOutcome;
import org.sparkformer.driver.executor.PartitionTrainer;
import org.sparkformer.driver.executor.RoundStart;
import org.sparkformer.driver.executor.RoundTask;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One parameter-averaging round, the heart of distributed training:
 * <ol>
 *   <li>serve the parameters and the optimizer state from the driver's {@link RoundChannel}, a socket that moves
 *       float arrays without Spark's serialization copies (with the channel off: broadcast them, each packed into a
 *       little-endian byte array, {@link PackedFloats});</li>
 *   <li>on each partition, read a private copy of the parameters and start reading the optimizer state on another
 *       thread ({@link org.sparkformer.driver.executor.StateFetch}: the trainer needs it only for its first update, so
 *       its transfer overlaps the first forward and backward pass), train locally with a seed mixed from (job seed, round, partition), and send back
 *       the resulting arrays with the number of examples seen as weight (partitions without weight send no arrays):
 *       straight to the round channel, or where that is off or cannot be reached, packed into one byte array in the
 *       task's result;</li>
 *   <li>on the driver, add each partition's {@code weight * values}, read straight from the packed bytes, into
 *       double accumulators <em>in partition-id order</em> as results arrive, then divide by the total weight.</li>
 * </ol>
 *
 * <p>Why this reduction: summing floats is not associative, so a tree or arrival-order reduction gives
 * results that depend on which task finished first. Here each task's result goes to the driver as it
 * finishes and waits, if it came early, until all lower ids have been added; the result is bit-identical
 * across task orders, speculative or retried attempts. Cost: every round moves {@code partitions x 4 x
 * (params + state)} bytes to the driver (also bounded by {@code spark.driver.maxResultSize}) and the
 * driver holds the results that arrived out of order: at most {@code partitions} copies, typically a few.
 * Every task reads one copy of the starting arrays from the driver (broadcasts, when used, share pieces between
 * executors and are destroyed when the round ends).
 */
public final class ParameterAveraging {

    private static final Logger LOG = LoggerFactory.getLogger(ParameterAveraging.class);

    private ParameterAveraging() {
    }

    /** Runs round {@code round} (0-based) without a total for the job description. */
    public static <T> RoundResult round(JavaRDD<T> shards, float[] params, float[] optState, PartitionTrainer<T> trainer,
                                        int round, long jobSeed) {
        return round(shards, params, optState, trainer, round, 0, jobSeed);
    }

    /**
     * Runs one round over every partition of {@code shards}.
     *
     * @param params      current parameters (not modified)
     * @param optState    current optimizer state, possibly empty (not modified)
     * @param round       0-based round index; seeds and job descriptions use it
     * @param totalRounds total rounds planned, for the job description; 0 when unknown
     * @param jobSeed     the job seed from the configuration
     */
    public static <T> RoundResult round(JavaRDD<T> shards, float[] params, float[] optState, PartitionTrainer<T> trainer,
                                        int round, int totalRounds, long jobSeed) {
        return round(shards, params, optState, trainer, round, totalRounds, jobSeed, StragglerLimit.OFF);
    }

    /**
     * As above, relaunching a task that runs far longer than the round's others as {@code stragglers} says (a
     * relaunched task gives the same bits).
     */
    public static <T> RoundResult round(JavaRDD<T> shards, float[] params, float[] optState, PartitionTrainer<T> trainer,
                                        int round, int totalRounds, long jobSeed, StragglerLimit stragglers) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(shards.context());
        SparkContext sc = jsc.sc();
        String label = "round " + (round + 1) + (totalRounds > 0 ? "/" + totalRounds : "");
        String jobGroup = "sparkformer-round-" + (round + 1);
        sc.setJobGroup(jobGroup, label + ": local training", false);

        long t0 = System.nanoTime();
        SparkConf conf = channelConf(sc);
        LaunchedAttempts launched = LaunchedAttempts.listen(sc, jobGroup);
        RoundChannel channel = RoundChannel.open(conf, authenticationSecret(sc, conf), params, optState,
                shards.getNumPartitions(), launched);
        RoundStart start = channel != null ? new RoundStart.FromChannel(channel.address(), optState.length > 0)
                : new RoundStart.FromBroadcasts(jsc.broadcast(PackedFloats.of(params)),
                        optState.length == 0 ? null : jsc.broadcast(PackedFloats.of(optState)));
        long broadcastNanos = System.nanoTime() - t0;
        try {
            int partitions = shards.getNumPartitions();
            OrderedAverager averager = new OrderedAverager(params, optState, partitions);
            JavaRDD<PartitionOutcome> outcomes = shards.mapPartitionsWithIndex(new RoundTask<>(trainer, start, round,
                    jobSeed), false);
            long t1 = System.nanoTime();
            InOrder inOrder = new InOrder(averager, channel);
            try (StragglerWatch ignored = StragglerWatch.start(sc, jobGroup, label, partitions, stragglers)) {
                sc.runJob(outcomes.rdd(), new RoundTask.SingleOutcome(), inOrder, OUTCOME_TAG);
            }
            RoundResult result = averager.finish(broadcastNanos, System.nanoTime() - t1, inOrder.onChannel,
                    channel == null ? 0 : channel.refusedResults());
            LOG.debug("{}: {} examples from {}/{} partitions", label, result.examples(), result.partitionsWithData(),
                    partitions);
            return result;
        } finally {
            if (channel != null) {
                channel.close();
            }
            launched.close();
            if (start instanceof RoundStart.FromBroadcasts broadcasts) {
                broadcasts.params().destroy();
                if (broadcasts.state() != null) {
                    broadcasts.state().destroy();
                }
            }
            sc.clearJobGroup();
        }
    }

    /**
     * Spark's authentication secret as the driver's security manager holds it (set, read from a file, or generated by
     * Spark); null when {@code spark.authenticate} is off.
     */
    private static String authenticationSecret(SparkContext sc, SparkConf conf) {
        if (!conf.getBoolean(RoundChannel.AUTHENTICATE_KEY, false)) {
            return null;
        }
        try {
            return sc.env().securityManager().getSecretKey();
        } catch (RuntimeException e) {
            LOG.warn("cannot read Spark's authentication secret for the round channel ({})", e.toString());
            return null;
        }
    }

    /** The context's configuration, with the channel mode of a local property of that name, if set, taking precedence. */
    private static SparkConf channelConf(SparkContext sc) {
        SparkConf conf = sc.getConf();
        String mode = sc.getLocalProperty(ChannelProtocol.MODE_KEY);
        return mode == null ? conf : conf.set(ChannelProtocol.MODE_KEY, mode);
    }

    private static final ClassTag<PartitionOutcome> OUTCOME_TAG = ClassTag$.MODULE$.apply(PartitionOutcome.class);

    /**
     * Hands each finished task's outcome to the averager, with the arrays its task sent to the result channel put back
     * in (runs on the driver, one call at a time).
     */
    private static final class InOrder extends AbstractFunction2<Object, PartitionOutcome, BoxedUnit> {
        private final OrderedAverager averager;
        private final RoundChannel results;
        private int onChannel;

        InOrder(OrderedAverager averager, RoundChannel results) {
            this.averager = averager;
            this.results = results;
        }

        @Override
        public BoxedUnit apply(Object partition, PartitionOutcome outcome) {
            long sender = outcome.sentByAttempt();
            if (sender >= 0) {
                onChannel++;
            }
            averager.accept(sender < 0 ? outcome : outcome.withArrays(results.take(outcome.partition(), sender)));
            return BoxedUnit.UNIT;
        }
    }
}
