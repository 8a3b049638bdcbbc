package org.sparkformer.bench;

import java.io.Serializable;

/**
 * What one benchmark task tells the driver about itself: how long its local training took and the peak memory of
 * its executor JVM so far. A plain final class because it travels inside task results.
 */
public final class TaskReport implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String executorId;
    private final int roundTag;
    private final int partition;
    private final long trainNanos;
    private final long heapPeakBytes;
    private final long nativePeakBytes;
    private final long residentPeakBytes;
    private final String threads;

    /** @param threads the executor's BLAS and ND4J thread counts, as {@link NativeThreads#describe()} gives them */
    public TaskReport(String executorId, int roundTag, int partition, long trainNanos, long heapPeakBytes,
                      long nativePeakBytes, long residentPeakBytes, String threads) {
        this.executorId = executorId;
        this.roundTag = roundTag;
        this.partition = partition;
        this.trainNanos = trainNanos;
        this.heapPeakBytes = heapPeakBytes;
        this.nativePeakBytes = nativePeakBytes;
        this.residentPeakBytes = residentPeakBytes;
        this.threads = threads;
    }

    public String executorId() {
        return executorId;
    }

    /** The benchmark's own number of the round the task belonged to. */
    public int roundTag() {
        return roundTag;
    }

    public int partition() {
        return partition;
    }

    /** Wall time inside the partition trainer: loading parameters, local steps, reading them back. */
    public long trainNanos() {
        return trainNanos;
    }

    public long heapPeakBytes() {
        return heapPeakBytes;
    }

    public long nativePeakBytes() {
        return nativePeakBytes;
    }

    public long residentPeakBytes() {
        return residentPeakBytes;
    }

    public String threads() {
        return threads;
    }
}
