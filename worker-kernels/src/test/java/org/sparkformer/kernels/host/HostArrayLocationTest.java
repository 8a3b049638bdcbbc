package org.sparkformer.kernels.host;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.CpuAffinityManager;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * HostArray brings an array's host copy up to date before reading it and marks the host copy as the current one after
 * each write, as a backend with device copies needs; recorded here through a stand-in for ND4J's affinity manager,
 * since on the CPU backend both calls do nothing.
 */
class HostArrayLocationTest {

    /** The CPU backend's affinity manager, recording the location calls it gets in order. */
    private static final class Recorder extends CpuAffinityManager {
        final List<String> calls = new ArrayList<>();
        final List<INDArray> arrays = new ArrayList<>();

        @Override
        public void ensureLocation(INDArray array, Location location) {
            calls.add("ensure " + location);
            arrays.add(array);
        }

        @Override
        public void tagLocation(INDArray array, Location location) {
            calls.add("tag " + location);
            arrays.add(array);
        }
    }

    private Field field;
    private AffinityManager original;
    private Recorder recorder;

    @BeforeEach
    void recordLocationCalls() throws ReflectiveOperationException {
        Nd4j.getBackend();
        field = Nd4j.class.getDeclaredField("affinityManager");
        field.setAccessible(true);
        original = (AffinityManager) field.get(null);
        recorder = new Recorder();
        field.set(null, recorder);
    }

    @AfterEach
    void restore() throws ReflectiveOperationException {
        field.set(null, original);
    }

    @Test
    void makingAHostArrayBringsTheHostCopyUpToDateAndReadingAddsNothing() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.create(type, 2, 3).assign(2);
            recorder.calls.clear();
            recorder.arrays.clear();
            HostArray h = HostArray.of(a);
            double[] row = new double[3];
            h.read(0, row, 3, new float[3]);
            assertEquals(2.0, h.get(4));
            assertEquals(2.0, row[2]);
            assertEquals(List.of("ensure HOST"), recorder.calls, type.toString());
            assertSame(a, recorder.arrays.get(0));
        }
    }

    @Test
    void everyWriteMarksTheHostCopyAsTheCurrentOne() {
        List<Consumer<HostArray>> floatWrites = List.of(
                h -> h.set(1, 3.0),
                h -> h.write(0, new double[]{1, 2}, 2, new float[2]),
                h -> h.writeFloats(0, new float[]{1, 2}, 2),
                h -> h.copy(0, HostArray.of(Nd4j.ones(DataType.FLOAT, 4)), 0, 3),
                h -> h.addScaled(0, HostArray.of(Nd4j.ones(DataType.FLOAT, 4)), 0, 3, 0.5));
        for (int w = 0; w < floatWrites.size(); w++) {
            INDArray a = Nd4j.zeros(DataType.FLOAT, 4);
            HostArray h = HostArray.of(a);
            recorder.calls.clear();
            recorder.arrays.clear();
            floatWrites.get(w).accept(h);
            List<String> calls = recorder.calls;
            assertEquals("tag HOST", calls.get(calls.size() - 1), "write " + w + ": " + calls);
            assertSame(a, recorder.arrays.get(recorder.arrays.size() - 1), "write " + w);
        }
        INDArray d = Nd4j.zeros(DataType.DOUBLE, 4);
        HostArray h = HostArray.of(d);
        recorder.calls.clear();
        h.write(0, new double[]{1, 2}, 2, new float[2]);
        h.set(3, 1.0);
        assertEquals(List.of("tag HOST", "tag HOST"), recorder.calls);
        assertEquals(1.0, d.getDouble(3));
    }
}
