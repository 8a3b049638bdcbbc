package org.sparkformer.kernels.host;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Sections the inference path runs: loops inside a host thread's range, and products on one BLAS thread. */
class HostSectionsTest {

    @Test
    void aLoopStartedInsideARangeRunsWholeOnThatRangesThread() {
        int outer = Math.max(2, HostThreads.threads());
        AtomicIntegerArray visits = new AtomicIntegerArray(outer * 100);
        ConcurrentHashMap<Integer, String> threadOfRange = new ConcurrentHashMap<>();
        // with every pool thread busy in the outer loop, a nested loop that waited on the pool would never finish
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> HostThreads.forRange(outer, 1, (first, last) -> {
            for (int r = first; r < last; r++) {
                int range = r;
                String outerThread = Thread.currentThread().getName();
                HostThreads.forRange(100, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(range * 100 + i);
                        threadOfRange.merge(range, Thread.currentThread().getName(),
                                (a, b) -> a.equals(b) ? a : a + "," + b);
                    }
                });
                assertEquals(outerThread, threadOfRange.get(range));
            }
        }));
        for (int i = 0; i < visits.length(); i++) {
            assertEquals(1, visits.get(i), "index " + i);
        }
    }

    @Test
    void blasRunsOneThreadInsideSectionsAndItsOwnCountAfterEvenWhenOneThrows() {
        int own = Nd4j.factory().blas().getMaxThreads();
        int[] inside = new int[2];
        BlasThreads.oneEach(() -> {
            inside[0] = Nd4j.factory().blas().getMaxThreads();
            BlasThreads.oneEach(() -> inside[1] = Nd4j.factory().blas().getMaxThreads());
        });
        assertEquals(1, inside[0]);
        assertEquals(1, inside[1]);
        assertEquals(own, Nd4j.factory().blas().getMaxThreads());
        assertThrows(IllegalStateException.class, () -> BlasThreads.oneEach(() -> {
            throw new IllegalStateException("a failing section");
        }));
        assertEquals(own, Nd4j.factory().blas().getMaxThreads());
    }
}
