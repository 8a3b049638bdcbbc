package org.sparkformer.driver.executor;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's part of a round, run inside its Spark task: read a private copy of the parameters, then start reading
 * the optimizer state on another thread (after the parameters, so the two transfers do not compete), train, time it,
 * send the arrays to the driver's round channel or pack them into the result.
 */
public record RoundTask<T>(PartitionTrainer<T> trainer, RoundStart start, int round, long jobSeed)
        implements Function2<Integer, Iterator<T>, Iterator<PartitionOutcome>> {

    @Override
    public Iterator<PartitionOutcome> call(Integer partition, Iterator<T> data) throws Exception {
        if (!data.hasNext()) {
            return List.of(PartitionOutcome.empty(partition)).iterator();
        }
        long seed = Seeds.forPartition(jobSeed, round, partition);
        float[] params = start.params(partition);
        StateFetch optState = start.state(partition);
        long t0 = System.nanoTime();
        PartialResult result = trainer.train(partition, data, params, optState, seed);
        long computeNanos = System.nanoTime() - t0;
        if (result == null) {
            throw new IllegalStateException("trainer returned no result for partition " + partition);
        }
        return List.of(outcome(partition, result, computeNanos)).iterator();
    }

    private PartitionOutcome outcome(int partition, PartialResult result, long computeNanos) {
        ChannelProtocol.Address results = start.results();
        if (results != null && result.examples() > 0 && result.params() != null && result.optState() != null) {
            long attempt = TaskContext.get().taskAttemptId();
            if (RoundChannelClient.send(results, partition, attempt, result.params(), result.optState())) {
                TaskFaults.afterResultSent(partition);
                return PartitionOutcome.sentAside(partition, result, computeNanos, attempt);
            }
        }
        return PartitionOutcome.of(partition, result, computeNanos);
    }

    /** Reads the single outcome a partition produces (runs in the task). */
    public static final class SingleOutcome
            extends AbstractFunction2<TaskContext, scala.collection.Iterator<PartitionOutcome>, PartitionOutcome>
            implements Serializable {

        @Override
        public PartitionOutcome apply(TaskContext context, scala.collection.Iterator<PartitionOutcome> it) {
            return it.next();
        }
    }
}
