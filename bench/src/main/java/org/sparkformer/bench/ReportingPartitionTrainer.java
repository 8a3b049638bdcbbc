package org.sparkformer.bench;

import org.apache.spark.SparkEnv;
import org.apache.spark.util.CollectionAccumulator;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.driver.executor.PartialResult;
import org.sparkformer.driver.executor.PartitionTrainer;

import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Runs another partition trainer unchanged and reports, through an accumulator, the time it took and its executor's
 * peak memory ({@link MemoryPeaks}, started in the executor JVM by the first task).
 */
public final class ReportingPartitionTrainer implements PartitionTrainer<EncodedSequence> {

    private static final long serialVersionUID = 1L;

    private final PartitionTrainer<EncodedSequence> delegate;
    private final int roundTag;
    private final CollectionAccumulator<TaskReport> reports;

    public ReportingPartitionTrainer(PartitionTrainer<EncodedSequence> delegate, int roundTag,
                                     CollectionAccumulator<TaskReport> reports) {
        this.delegate = delegate;
        this.roundTag = roundTag;
        this.reports = reports;
    }

    @Override
    public PartialResult train(int partition, Iterator<EncodedSequence> data, float[] params, Supplier<float[]> optState,
                               long seed) throws Exception {
        MemoryPeaks peaks = MemoryPeaks.start();
        long t0 = System.nanoTime();
        PartialResult result = delegate.train(partition, data, params, optState, seed);
        long nanos = System.nanoTime() - t0;
        SparkEnv env = SparkEnv.get();
        String executor = env == null ? "driver" : env.executorId();
        reports.add(new TaskReport(executor, roundTag, partition, nanos, peaks.heapPeakBytes(), peaks.nativePeakBytes(),
                MemoryPeaks.residentPeakBytes(), NativeThreads.describe()));
        return result;
    }
}
