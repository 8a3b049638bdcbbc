package org.sparkformer.kernels.compress;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.io.DType;
import org.sparkformer.kernels.io.HalfFloats;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightStorageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A [rows, cols] matrix of Normal(0, 0.05) values, each row's largest magnitude about three deviations. */
    private static Tensor matrix(String name, int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.max(-0.15, Math.min(0.15, random.nextGaussian() * 0.05));
        }
        return new Tensor(name, new long[]{rows, cols}, w);
    }

    /** {@link #matrix} with row 1 all zeros and one outlier ten deviations out in row 0. */
    private static Tensor withZeroRowAndOutlier(Tensor t) {
        float[] w = t.data().clone();
        int cols = (int) t.shape()[1];
        java.util.Arrays.fill(w, cols, 2 * cols, 0f);
        w[3] = -0.5f;
        return new Tensor(t.name(), t.shape(), w);
    }

    /** {@code tensors} with the share {@code sparsity} of every matrix's smallest values set to zero. */
    private static List<Tensor> pruned(List<Tensor> tensors, double sparsity) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            float[] w = t.data().clone();
            if (t.shape().length == 2) {
                float[] sorted = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    sorted[i] = Math.abs(w[i]);
                }
                java.util.Arrays.sort(sorted);
                float threshold = sorted[(int) (sparsity * w.length)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = Math.abs(w[i]) < threshold ? 0 : w[i];
                }
            }
            out.add(new Tensor(t.name(), t.shape(), w));
        }
        return out;
    }

    private static List<Tensor> model() {
        return List.of(matrix("embeddings.token", 40, 16, 1), new Tensor("blocks.0.ln1.gamma", new long[]{16}, new float[16]),
                matrix("blocks.0.ffn.in.weight", 32, 16, 2), new Tensor("blocks.0.ffn.in.bias", new long[]{32}, new float[32]),
                matrix("head.weight", 3, 16, 3));
    }

    private static byte[] file(List<Tensor> tensors) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, tensors, Map.of());
        return out.toByteArray();
    }

    private static List<Tensor> readBack(byte[] bytes) throws IOException {
        return SafeTensors.read(new ByteArrayInputStream(bytes), bytes.length, null, "model.safetensors").tensors();
    }

    /** Writes {@code tensors} in {@code storage}, reads the file back and decodes it. */
    private static List<Tensor> roundTrip(List<Tensor> tensors, WeightStorage storage) throws IOException {
        WeightStorage again = WeightStorage.fromJson(JSON.readTree(storage.toJson().toString()), "config.json storage");
        return again.decode(readBack(file(storage.encode(tensors))), "model.safetensors");
    }

    @Test
    void int8DequantizesEveryWeightToWithinHalfAStepOfItsRow() throws IOException {
        List<Tensor> original = new ArrayList<>(model());
        original.set(0, withZeroRowAndOutlier(original.get(0)));
        WeightStorage storage = WeightStorage.choose(original, WeightFormat.INT8);
        List<Tensor> decoded = roundTrip(original, storage);

        assertEquals(List.of("embeddings.token", "blocks.0.ffn.in.weight", "head.weight"), List.copyOf(storage.weights().keySet()));
        assertEquals(original.size(), decoded.size());
        for (int i = 0; i < original.size(); i++) {
            Tensor o = original.get(i);
            Tensor d = decoded.get(i);
            assertEquals(o.name(), d.name());
            assertArrayEquals(o.shape(), d.shape());
            if (o.shape().length == 1) {
                assertArrayEquals(o.data(), d.data(), 0f, "vectors stay float32");
                continue;
            }
            int rows = (int) o.shape()[0];
            int cols = (int) o.shape()[1];
            for (int r = 0; r < rows; r++) {
                float max = 0;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, Math.abs(o.data()[r * cols + c]));
                }
                float halfStep = max / Int8Rows.LEVELS / 2;
                for (int c = 0; c < cols; c++) {
                    float error = Math.abs(o.data()[r * cols + c] - d.data()[r * cols + c]);
                    assertTrue(error <= halfStep * (1 + 1e-6f), o.name() + " [" + r + ", " + c + "] is off by " + error
                            + ", more than half a step " + halfStep);
                }
            }
        }
        assertArrayEquals(new float[16], java.util.Arrays.copyOfRange(decoded.get(0).data(), 16, 32), 0f,
                "an all-zero row stays zero");
    }

    @Test
    void int8FileSizeIsWhatTheTensorsImply() throws IOException {
        List<Tensor> original = model();
        List<Tensor> stored = WeightStorage.choose(original, WeightFormat.INT8).encode(original);
        long f32Bytes = file(original).length;
        long int8Bytes = file(stored).length;

        long elements = 0;
        long int8Data = 0;
        for (Tensor t : original) {
            elements += t.elementCount();
            int8Data += t.shape().length == 2 ? t.elementCount() + 4 * t.shape()[0] : 4 * t.elementCount();
        }
        assertEquals(SafeTensors.serializedSize(stored, Map.of()), int8Bytes);
        assertEquals(int8Data, stored.stream().mapToLong(Tensor::dataBytes).sum(), "int8 values plus a float scale per row");
        assertEquals(4 * elements, original.stream().mapToLong(Tensor::dataBytes).sum());
        assertEquals(f32Bytes - 4 * elements, SafeTensors.serializedSize(original, Map.of()) - 4 * elements,
                "header size is the rest");
        assertTrue(stored.stream().anyMatch(t -> t.dtype() == DType.I8 && t.name().equals("blocks.0.ffn.in.weight")));
        assertTrue(stored.stream().anyMatch(t -> t.name().equals("blocks.0.ffn.in.weight.scale")
                && java.util.Arrays.equals(t.shape(), new long[]{32})));
    }

    @Test
    void halfWidthFormatsReadBackAsTheirRoundedValues() throws IOException {
        List<Tensor> original = model();
        for (WeightFormat format : List.of(WeightFormat.F16, WeightFormat.BF16)) {
            WeightStorage storage = WeightStorage.choose(original, format);
            List<Tensor> decoded = roundTrip(original, storage);
            for (int i = 0; i < original.size(); i++) {
                float[] o = original.get(i).data();
                float[] expected = o.clone();
                if (original.get(i).shape().length == 2) {
                    for (int j = 0; j < o.length; j++) {
                        expected[j] = HalfFloats.round(o[j], format.valueType());
                        assertEquals(o[j], expected[j], Math.abs(o[j]) * (format == WeightFormat.F16 ? 1e-3 : 8e-3) + 1e-7,
                                format + " rounds to nearest");
                    }
                }
                assertArrayEquals(expected, decoded.get(i).data(), 0f, format + " " + original.get(i).name());
            }
        }
    }

    @Test
    void halfFloatConversionsMatchKnownBitPatterns() {
        assertEquals((short) 0x3C00, HalfFloats.toF16(1f));
        assertEquals((short) 0xC000, HalfFloats.toF16(-2f));
        assertEquals((short) 0x7BFF, HalfFloats.toF16(65504f));
        assertEquals((short) 0x7C00, HalfFloats.toF16(65520f), "rounds up to infinity");
        assertEquals((short) 0x0001, HalfFloats.toF16(0x1p-24f), "smallest subnormal");
        assertEquals((short) 0x0000, HalfFloats.toF16(0x1p-25f), "a tie rounds to even zero");
        assertEquals((short) 0x3C00, HalfFloats.toF16(1f + 0x1p-11f), "a tie rounds to even");
        assertEquals((short) 0x3C01, HalfFloats.toF16(1f + 0x1p-11f + 0x1p-20f));
        assertEquals(0x1p-24f, HalfFloats.fromF16((short) 1));
        assertEquals(65504f, HalfFloats.fromF16((short) 0x7BFF));
        assertEquals((short) 0x3F80, HalfFloats.toBf16(1f));
        assertEquals(1f, HalfFloats.fromBf16(HalfFloats.toBf16(1f + 0x1p-9f)), "a tie rounds to even");
        for (float x : new float[]{0.1f, -3.14159f, 1e-6f, 12345.678f}) {
            assertEquals(x, HalfFloats.fromF16(HalfFloats.toF16(x)), Math.abs(x) * 0x1p-11f + 0x1p-25f);
            assertEquals(x, HalfFloats.fromBf16(HalfFloats.toBf16(x)), Math.abs(x) * 0x1p-8f);
        }
    }

    @Test
    void sparseMatricesAreStoredAsABitmaskAndPackedValuesSeveralTimesSmaller() throws IOException {
        List<Tensor> sparse = pruned(List.of(matrix("w", 64, 64, 5), matrix("v", 32, 64, 6)), 0.9);
        WeightStorage storage = WeightStorage.choose(sparse, WeightFormat.F32);
        List<Tensor> stored = storage.encode(sparse);

        assertTrue(storage.weights().values().stream().allMatch(StoredWeight::sparse));
        assertEquals(List.of("w.mask", "w", "v.mask", "v"), stored.stream().map(Tensor::name).toList());
        double ratio = file(sparse).length / (double) file(stored).length;
        assertTrue(ratio > 5, "a 90%-sparse float32 file is " + ratio + "x smaller, expected > 5");
        List<Tensor> decoded = roundTrip(sparse, storage);
        assertEquals(sparse, decoded, "the bitmask layout is exact");

        WeightStorage int8 = WeightStorage.choose(sparse, WeightFormat.INT8);
        assertTrue(int8.weights().values().stream().allMatch(StoredWeight::sparse));
        double int8Ratio = file(sparse).length / (double) file(int8.encode(sparse)).length;
        assertTrue(int8Ratio > 10, "a 90%-sparse int8 file is " + int8Ratio + "x smaller, expected > 10");
        List<Tensor> int8Decoded = roundTrip(sparse, int8);
        for (int i = 0; i < sparse.size(); i++) {
            for (int j = 0; j < sparse.get(i).data().length; j++) {
                if (sparse.get(i).data()[j] == 0) {
                    assertEquals(0f, int8Decoded.get(i).data()[j], "pruned weights stay exactly zero");
                }
            }
        }
    }

    @Test
    void denseMatricesKeepTheDenseLayout() {
        WeightStorage storage = WeightStorage.choose(model(), WeightFormat.F32);
        assertTrue(storage.isPlain(), "dense float32 needs no storage entries: " + storage.weights());
        assertFalse(WeightStorage.choose(model(), WeightFormat.F16).weights().values().stream().anyMatch(StoredWeight::sparse));
    }

    @Test
    void unknownFormatOrLayoutIsAOneLineErrorNamingTheTensor() throws IOException {
        String e = assertThrows(ModelFileException.class, () -> WeightStorage.fromJson(JSON.readTree(
                "{\"head.weight\": {\"format\": \"int4\", \"layout\": \"dense\", \"shape\": [3, 16]}}"), "m/config.json storage"))
                .getMessage();
        assertEquals("m/config.json storage of tensor head.weight: unknown weight format 'int4' (supported: fp32, fp16, bf16,"
                + " int8)", e);
        String layout = assertThrows(ModelFileException.class, () -> WeightStorage.fromJson(JSON.readTree(
                "{\"head.weight\": {\"format\": \"int8\", \"layout\": \"csr\", \"shape\": [3, 16]}}"), "c")).getMessage();
        assertEquals("c of tensor head.weight: unknown layout 'csr' (supported: dense, bitmask)", layout);
        assertEquals("unknown weight format 'fp8' (supported: fp32, fp16, bf16, int8)",
                assertThrows(IllegalArgumentException.class, () -> WeightFormat.parse("fp8")).getMessage());
    }

    @Test
    void scaleOfTheWrongShapeIsAOneLineErrorNamingBothShapes() throws IOException {
        List<Tensor> original = List.of(matrix("head.weight", 3, 16, 3));
        WeightStorage storage = WeightStorage.choose(original, WeightFormat.INT8);
        List<Tensor> stored = new ArrayList<>(storage.encode(original));
        stored.set(1, new Tensor("head.weight.scale", new long[]{2}, new float[]{0.1f, 0.2f}));

        String e = assertThrows(ModelFileException.class, () -> storage.decode(readBack(file(stored)), "m/model.safetensors"))
                .getMessage();
        assertEquals("m/model.safetensors: tensor head.weight.scale has shape [2], expected [3] (one scale per row of"
                + " head.weight [3, 16])", e);
        assertFalse(e.contains("\n"));
    }

    @Test
    void storedTensorsThatDisagreeWithTheStorageAreNamed() throws IOException {
        List<Tensor> original = List.of(matrix("head.weight", 3, 16, 3));
        List<Tensor> int8 = WeightStorage.choose(original, WeightFormat.INT8).encode(original);
        assertEquals("f: tensor head.weight is I8 but the configuration's storage does not say how it is encoded",
                assertThrows(ModelFileException.class, () -> WeightStorage.plain().decode(int8, "f")).getMessage());
        WeightStorage says16 = WeightStorage.choose(original, WeightFormat.F16);
        assertEquals("f: tensor head.weight is I8, expected F16 (the values of head.weight [3, 16] in fp16)",
                assertThrows(ModelFileException.class, () -> says16.decode(int8.subList(0, 1), "f")).getMessage());
        WeightStorage says8 = WeightStorage.choose(original, WeightFormat.INT8);
        assertEquals("f: tensor head.weight.scale is missing (one scale per row of head.weight [3, 16])",
                assertThrows(ModelFileException.class, () -> says8.decode(int8.subList(0, 1), "f")).getMessage());
        assertEquals("f: tensor head.weight is missing (the configuration's storage names it)",
                assertThrows(ModelFileException.class, () -> says8.decode(List.of(), "f")).getMessage());
    }
}
