package org.sparkformer.kernels.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafeTensorsTest {

    private static final Tensor WEIGHT = new Tensor("encoder.0.w", new long[]{2, 3}, new float[]{1, -2, 3.5f, 0, 1e-7f, 6});
    private static final Tensor BIAS = new Tensor("encoder.0.b", new long[]{3}, new float[]{0.25f, 0.5f, -0.75f});

    private static byte[] write(List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, tensors, metadata);
        return out.toByteArray();
    }

    private static SafeTensors.Contents read(byte[] bytes, Map<String, long[]> expected) throws IOException {
        return SafeTensors.read(new ByteArrayInputStream(bytes), bytes.length, expected, "model.safetensors");
    }

    /** A file with a hand-written header and {@code dataBytes} zero bytes of data. */
    private static byte[] rawFile(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        return buf.array();
    }

    private static String readError(byte[] bytes, Map<String, long[]> expected) {
        return assertThrows(ModelFileException.class, () -> read(bytes, expected)).getMessage();
    }

    @Test
    void roundTripKeepsNamesShapesValuesAndMetadata() throws IOException {
        Tensor scalar = new Tensor("step", new long[]{}, new float[]{42});
        Tensor wide = Tensor.f64("moments", new long[]{2, 2}, new double[]{1e-300, 2, Math.PI, -4});
        byte[] bytes = write(List.of(WEIGHT, BIAS, scalar, wide), Map.of("format", "pt", "round", "7"));

        SafeTensors.Contents contents = read(bytes, null);

        assertEquals(List.of(WEIGHT, BIAS, scalar, wide), contents.tensors());
        assertEquals(Map.of("format", "pt", "round", "7"), contents.metadata());
        assertEquals(bytes.length, SafeTensors.serializedSize(List.of(WEIGHT, BIAS, scalar, wide), Map.of("format", "pt", "round", "7")));
    }

    @Test
    void headerIsPaddedToEightBytesAndDataIsLittleEndian() throws IOException {
        byte[] bytes = write(List.of(BIAS), Map.of());
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        float first = ByteBuffer.wrap(bytes, (int) (8 + headerLength), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(0.25f, first);
    }

    @Test
    void expectedShapesThatMatchAreAccepted() throws IOException {
        byte[] bytes = write(List.of(WEIGHT, BIAS), null);
        SafeTensors.Contents c = read(bytes, Map.of("encoder.0.w", new long[]{2, 3}, "encoder.0.b", new long[]{3}));
        assertArrayEquals(BIAS.data(), c.get("encoder.0.b").data());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        byte[] bytes = write(List.of(WEIGHT, BIAS), null);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);
        assertEquals("model.safetensors: truncated: tensor data ends at byte 36 but the file holds only 31 data bytes",
                readError(cut, null));
    }

    @Test
    void streamShorterThanDeclaredLengthIsRefused() throws IOException {
        byte[] bytes = write(List.of(WEIGHT), null);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> SafeTensors.read(new ByteArrayInputStream(cut), bytes.length, null, "model.safetensors"));
        assertEquals("model.safetensors: truncated in the data of tensor encoder.0.w", e.getMessage());
    }

    @Test
    void fileShorterThanTheLengthPrefixIsRefused() {
        assertEquals("model.safetensors: truncated: 5 bytes, fewer than the 8-byte header length",
                readError(new byte[5], null));
    }

    @Test
    void hugeDeclaredHeaderIsRefusedBeforeReadingIt() {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        assertEquals("model.safetensors: declared header length 1099511627776 bytes exceeds the maximum of 104857600 bytes",
                readError(bytes, null));
    }

    @Test
    void headerLongerThanTheFileIsRefused() {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
        assertEquals("model.safetensors: declared header length 1000 bytes exceeds the file size (16 bytes);"
                + " the file is truncated or not a safetensors file", readError(bytes, null));
    }

    @Test
    void overlappingOffsetsAreRefused() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertEquals("model.safetensors: tensor b data_offsets [4, 12] overlap tensor a [0, 8]",
                readError(rawFile(header, 12), null));
    }

    @Test
    void gapBetweenTensorsIsRefused() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertEquals("model.safetensors: gap of 4 bytes before tensor b (data_offsets begin 8, previous data ends at 4)",
                readError(rawFile(header, 12), null));
    }

    @Test
    void shapeThatDisagreesWithOffsetsIsRefused() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertEquals("model.safetensors: tensor a: shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8",
                readError(rawFile(header, 8), null));
    }

    @Test
    void negativeDimensionIsRefused() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}";
        assertEquals("model.safetensors: tensor a: shape holds -1, not a non-negative integer",
                readError(rawFile(header, 4), null));
    }

    @Test
    void wrongShapeMissingAndExtraTensorsAreNamedWithBothShapes() throws IOException {
        byte[] bytes = write(List.of(WEIGHT, BIAS), null);
        String msg = readError(bytes, Map.of("encoder.0.w", new long[]{3, 2}, "encoder.1.w", new long[]{4}));
        assertEquals("model.safetensors does not match the expected tensors: tensor encoder.0.w has shape [2, 3], expected [3, 2];"
                + " missing tensor encoder.1.w (expected shape [4]); unexpected tensor encoder.0.b (shape [3])", msg);
    }

    @Test
    void nanWeightIsRefusedNamingTheTensor() {
        String header = "{\"layer.w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] bytes = rawFile(header, 8);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
        assertEquals("model.safetensors: tensor layer.w holds NaN at index 1", readError(bytes, null));
    }

    @Test
    void infiniteWeightIsRefusedNamingTheTensor() {
        String header = "{\"layer.w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        byte[] bytes = rawFile(header, 8);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(bytes.length - 8, Double.NEGATIVE_INFINITY);
        assertEquals("model.safetensors: tensor layer.w holds infinity at index 0", readError(bytes, null));
    }

    @Test
    void pathTraversalNameIsRefused() {
        String header = "{\"../../etc/passwd\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals("model.safetensors: unsafe tensor name \"../../etc/passwd\": contains a path separator",
                readError(rawFile(header, 4), null));
        String dots = "{\"a..b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals("model.safetensors: unsafe tensor name \"a..b\": contains '..'", readError(rawFile(dots, 4), null));
    }

    @Test
    void controlCharacterInNameIsRefused() {
        String header = "{\"a\\u0000b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals("model.safetensors: unsafe tensor name \"a\\u0000b\": contains control character U+0000",
                readError(rawFile(header, 4), null));
    }

    @Test
    void malformedJsonIsRefused() {
        String msg = readError(rawFile("{\"a\":{\"dtype\":", 0), null);
        assertEquals(true, msg.startsWith("model.safetensors: header is not valid JSON: "), msg);
    }

    @Test
    void duplicateNamesAreRefused() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertEquals("model.safetensors: header is not valid JSON: Duplicate field 'a'", readError(rawFile(header, 8), null));
    }

    @Test
    void unknownDtypeIsRefused() {
        String header = "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        assertEquals("model.safetensors: tensor a: unknown dtype \"F8_E4M3\" (supported: [F32, F64, F16, BF16, I8, U8])",
                readError(rawFile(header, 4), null));
    }

    @Test
    void writerRefusesNonFiniteValuesAndUnsafeNames() {
        Tensor nan = new Tensor("w", new long[]{1}, new float[]{Float.NaN});
        assertEquals("cannot write tensor w: value at index 0 is not finite",
                assertThrows(IllegalArgumentException.class, () -> write(List.of(nan), null)).getMessage());
        Tensor slash = new Tensor("a/b", new long[]{1}, new float[]{1});
        assertEquals("cannot write tensor \"a/b\": contains a path separator",
                assertThrows(IllegalArgumentException.class, () -> write(List.of(slash), null)).getMessage());
    }
}
