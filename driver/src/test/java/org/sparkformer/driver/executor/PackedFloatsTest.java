package org.sparkformer.driver.executor;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PackedFloatsTest {

    private static float[] values(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.sin(i * 0.37) * scale;
        }
        return a;
    }

    private static void assertSameBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "index " + i);
        }
    }

    @Test
    void unpacksEveryArrayBitForBitAfterJavaSerialization() throws Exception {
        float[] params = values(3 * PackedFloats.CHUNK + 17, 1f);
        params[5] = -0.0f;
        params[6] = Float.MIN_VALUE;
        params[7] = Float.intBitsToFloat(0x7fc00001);   // a NaN with payload
        float[] state = values(1001, 1e-3f);
        PackedFloats packed = PackedFloats.of(params, new float[0], state);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(packed);
        }
        PackedFloats back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (PackedFloats) in.readObject();
        }

        assertEquals(3, back.count());
        assertEquals(params.length, back.length(0));
        assertEquals(0, back.length(1));
        assertEquals(state.length, back.length(2));
        assertSameBits(params, back.unpack(0));
        assertArrayEquals(new float[0], back.unpack(1));
        assertSameBits(state, back.unpack(2));
        assertNotSame(back.unpack(2), back.unpack(2));
        assertThrows(IndexOutOfBoundsException.class, () -> back.length(3));
    }

    @Test
    void chunkedReadingVisitsEveryValueOnceInOrder() {
        float[] params = values(2 * PackedFloats.CHUNK + 5, 2f);
        float[] state = values(7, 3f);
        PackedFloats packed = PackedFloats.of(params, state);
        float[] seen = new float[params.length];
        int[] calls = {0};
        packed.forEachChunk(0, (chunk, offset, n) -> {
            System.arraycopy(chunk, 0, seen, offset, n);
            calls[0]++;
        });
        assertSameBits(params, seen);
        assertEquals(3, calls[0]);
        float[] seenState = new float[state.length];
        packed.forEachChunk(1, (chunk, offset, n) -> System.arraycopy(chunk, 0, seenState, offset, n));
        assertSameBits(state, seenState);
    }
}
