package org.sparkformer.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.bytedeco.javacpp.Pointer;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory of this JVM since {@link #start()}: one tracker per JVM (the benchmark's own and each executor's).
 *
 * <ul>
 *   <li>heap: used heap only grows between collections, so its peak is the largest "used before GC" any collection
 *       reports (GC notifications), or the current use if larger;</li>
 *   <li>native ("off-heap"): ND4J's buffers are allocated by libnd4j and not counted by javacpp's
 *       {@code Pointer.totalBytes()}, so the figure is the resident set ({@code Pointer.physicalBytes()}) minus the
 *       committed JVM heap and non-heap, sampled every 10 ms: ND4J buffers plus native libraries, thread stacks and
 *       allocator slack;</li>
 *   <li>resident set: the kernel's high-water mark ({@code VmHWM} in /proc/self/status) where available.</li>
 * </ul>
 */
public final class MemoryPeaks {

    private static final long SAMPLE_MILLIS = 10;
    private static volatile MemoryPeaks jvm;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong heapPeak = new AtomicLong();
    private final AtomicLong nativePeak = new AtomicLong();

    private MemoryPeaks() {
    }

    /** The tracker of this JVM, started on first use. */
    public static MemoryPeaks start() {
        MemoryPeaks m = jvm;
        if (m == null) {
            synchronized (MemoryPeaks.class) {
                if (jvm == null) {
                    m = new MemoryPeaks();
                    m.listenToCollections();
                    m.startSampling();
                    jvm = m;
                }
                m = jvm;
            }
        }
        return m;
    }

    /** Peak used heap in bytes. */
    public long heapPeakBytes() {
        sample();
        return heapPeak.get();
    }

    /** Peak native memory outside the JVM heap and non-heap, in bytes (see the class comment). */
    public long nativePeakBytes() {
        sample();
        return nativePeak.get();
    }

    /** The resident-set high-water mark in bytes, or -1 where the system does not report it. */
    public static long residentPeakBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return -1;
        }
        return -1;
    }

    private void sample() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        heapPeak.accumulateAndGet(heap.getUsed(), Math::max);
        long resident = Pointer.physicalBytes();
        if (resident > 0) {
            nativePeak.accumulateAndGet(resident - heap.getCommitted() - nonHeap.getCommitted(), Math::max);
        }
    }

    private void listenToCollections() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this::onCollection, null, null);
            }
        }
    }

    private void onCollection(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long before = 0;
        for (var entry : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (isHeapPool(entry.getKey())) {
                before += entry.getValue().getUsed();
            }
        }
        heapPeak.accumulateAndGet(before, Math::max);
    }

    private static boolean isHeapPool(String name) {
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == java.lang.management.MemoryType.HEAP;
            }
        }
        return false;
    }

    private void startSampling() {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-peaks");
        t.setDaemon(true);
        t.start();
    }
}
