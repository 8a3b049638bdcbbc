package org.sparkformer.kernels.host;

import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small fixed pool that splits the host (Java) loops of the kernels over as many threads as ND4J's own ops use
 * ({@code Nd4j.getEnvironment().maxThreads()}), so element-wise passes written in Java use the same cores as the
 * native ones. Work is split into contiguous index ranges; callers keep results independent of the split by
 * computing each row (or chunk) on exactly one thread and combining partial sums over fixed-size blocks in block
 * order.
 */
public final class HostThreads {

    /** The body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Name prefix of the pool's threads: one process-wide pool of {@code threads() - 1} daemon threads. */
    public static final String THREAD_PREFIX = "sparkformer-host-";

    private static final int THREADS = Math.max(1, Nd4j.getEnvironment().maxThreads());
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, daemonThreads());

    /** Whether this thread is running a range: a nested loop then runs inline instead of waiting on a busy pool. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private HostThreads() {
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, THREAD_PREFIX + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Threads the loops are split over. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, count)} split into at most {@link #threads()} contiguous ranges of at least
     * {@code minPerTask} indices; the calling thread takes the first range. Returns when all ranges are done. Called
     * from inside a range (a task that splits its own work further), it runs the whole loop on the calling thread.
     */
    public static void forRange(int count, int minPerTask, Range body) {
        int tasks = Math.min(THREADS, Math.max(1, count / Math.max(1, minPerTask)));
        if (tasks <= 1 || INSIDE.get()) {
            body.run(0, count);                // a loop inside a task's range runs on that task's thread
            return;
        }
        Range marked = inside(body);
        @SuppressWarnings("unchecked")
        Future<?>[] others = new Future<?>[tasks - 1];
        for (int i = 1; i < tasks; i++) {
            int from = bound(count, tasks, i);
            int to = bound(count, tasks, i + 1);
            others[i - 1] = POOL.submit(() -> marked.run(from, to));
        }
        marked.run(0, bound(count, tasks, 1));
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a host loop", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    /** The body of a chunked loop: the {@code n} values from index {@code from}. */
    @FunctionalInterface
    public interface Chunk {
        void run(int from, int n);
    }

    /**
     * Runs over {@code [0, length)} in consecutive chunks of {@code chunk} values (the last one may be shorter), the
     * chunks split over the threads as {@link #forRange} splits indices, at least {@code minChunksPerTask} to a task.
     * Each task asks {@code perTask} once for its body, so a body can own its scratch arrays.
     */
    public static void forChunks(int length, int chunk, int minChunksPerTask, Supplier<Chunk> perTask) {
        int chunks = (length + chunk - 1) / chunk;
        forRange(chunks, minChunksPerTask, (first, last) -> {
            Chunk body = perTask.get();
            for (int from = first * chunk; from < Math.min(length, last * chunk); from += chunk) {
                body.run(from, Math.min(chunk, length - from));
            }
        });
    }

    /** {@code body} marking its thread as inside a range while it runs, so that loops it starts run inline. */
    private static Range inside(Range body) {
        return (from, to) -> {
            INSIDE.set(true);
            try {
                body.run(from, to);
            } finally {
                INSIDE.set(false);
            }
        };
    }

    private static int bound(int count, int tasks, int i) {
        return (int) ((long) count * i / tasks);
    }
}
