package org.sparkformer.driver.executor;

import org.sparkformer.kernels.host.SupportedBackend;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * Keeps built models resident in an executor JVM between rounds so a {@link PartitionTrainer} only
 * loads new parameters instead of rebuilding its model every round. Models are leased: a task takes one
 * (building it if none is idle) and returns it when done, so concurrent tasks in one JVM never share a
 * model. Keyed by a model key (e.g. a hash of the model configuration); a new key starts a new pool. Every task that
 * runs the kernels takes its model here first, so this is where a task refuses an ND4J backend the kernels do not
 * run on (an executor's backend may differ from the driver's).
 */
public final class ExecutorModelCache {

    private static final Map<String, Deque<Object>> IDLE = new ConcurrentHashMap<>();

    private ExecutorModelCache() {
    }

    /** A model borrowed from the cache; closing it returns the model for the next task. */
    public static final class Lease<M> implements AutoCloseable {
        private final String key;
        private final M model;
        private final boolean reused;
        private boolean closed;

        private Lease(String key, M model, boolean reused) {
            this.key = key;
            this.model = model;
            this.reused = reused;
        }

        public M model() {
            return model;
        }

        /** True when the model was built by an earlier task and taken from the cache. */
        public boolean reused() {
            return reused;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(model);
            }
        }
    }

    /** Borrows an idle model for {@code key}, or builds one with {@code factory}. */
    public static <M> Lease<M> lease(String key, Class<M> type, Supplier<? extends M> factory) {
        SupportedBackend.require();
        Deque<Object> idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Object cached = idle.poll();
        if (cached != null) {
            return new Lease<>(key, type.cast(cached), true);
        }
        return new Lease<>(key, type.cast(factory.get()), false);
    }

    /** Drops every idle model whose key is not {@code keep}, e.g. when a job moves to a new model. */
    public static void retainOnly(String keep) {
        IDLE.keySet().removeIf(k -> !k.equals(keep));
    }

    /** Number of idle models held for {@code key}. */
    public static int idleCount(String key) {
        Deque<Object> idle = IDLE.get(key);
        return idle == null ? 0 : idle.size();
    }
}
