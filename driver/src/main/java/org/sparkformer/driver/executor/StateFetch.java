package org.sparkformer.driver.executor;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A round's optimizer state, read on a thread of its own while the task starts training. The
 * moments are twice the size of the parameters and no trainer needs them before its first update, so the transfer
 * runs during the first forward and backward pass instead of before it. {@link #get()} waits for it and rethrows
 * what went wrong; the thread ends when the state has arrived.
 */
public final class StateFetch implements Supplier<float[]> {

    private final CompletableFuture<float[]> state;

    private StateFetch(CompletableFuture<float[]> state) {
        this.state = state;
    }

    /** Starts {@code read} on a new daemon thread. */
    static StateFetch start(Callable<float[]> read, int partition) {
        CompletableFuture<float[]> state = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                state.complete(read.call());
            } catch (Throwable e) {
                state.completeExceptionally(e);
            }
        }, "sparkformer-state-fetch-" + partition);
        thread.setDaemon(true);
        thread.start();
        return new StateFetch(state);
    }

    /** A state that needs no transfer (an optimizer without state). */
    static StateFetch empty() {
        return new StateFetch(CompletableFuture.completedFuture(new float[0]));
    }

    @Override
    public float[] get() {
        try {
            return state.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the optimizer state", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("could not read the optimizer state: " + cause, cause);
        }
    }
}
