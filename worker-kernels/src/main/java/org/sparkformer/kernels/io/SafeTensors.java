package org.sparkformer.kernels.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors layout: an 8-byte little-endian header length {@code N}, {@code N}
 * bytes of JSON header ({@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
 * {string: string}}}), then the raw little-endian tensor data, offsets relative to the end of the header.
 *
 * <p>The reader validates the complete header (size limits, JSON, names, dtypes, shapes, offsets and,
 * when given, the expected name-to-shape map) before it allocates any tensor memory, and refuses NaN
 * or infinite values naming the tensor. Every error is a {@link ModelFileException} whose message starts
 * with the source name passed in.
 */
public final class SafeTensors {

    /** Largest header accepted: 100 MB of JSON. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** Longest tensor name accepted. */
    public static final int MAX_NAME_LENGTH = 256;
    /** Most dimensions a tensor may have. */
    public static final int MAX_RANK = 8;
    /** The reserved header key holding string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int CHUNK_ELEMENTS = 1 << 14;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensors() {
    }

    /** What a file holds: its string metadata and its tensors in data order. */
    public record Contents(Map<String, String> metadata, List<Tensor> tensors) {

        public Contents {
            metadata = Map.copyOf(metadata);
            tensors = List.copyOf(tensors);
        }

        /** The tensor called {@code name}; an error naming it when absent. */
        public Tensor get(String name) {
            for (Tensor t : tensors) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no tensor named " + name);
        }
    }

    /** One header entry after validation, before its data is read. */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} (in the given order, data contiguous) and {@code metadata} to {@code out}.
     * Names must be safe and unique and values finite; the stream is flushed, not closed.
     */
    public static void write(OutputStream out, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = headerBytes(tensors, metadata);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(length.array());
        out.write(header);
        for (Tensor t : tensors) {
            writeData(out, t);
        }
        out.flush();
    }

    /** Bytes {@link #write} produces for these tensors, without writing them. */
    public static long serializedSize(List<Tensor> tensors, Map<String, String> metadata) {
        long size = 8 + headerBytes(tensors, metadata).length;
        for (Tensor t : tensors) {
            size += t.dataBytes();
        }
        return size;
    }

    private static byte[] headerBytes(List<Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            String problem = nameProblem(t.name());
            if (problem != null) {
                throw new IllegalArgumentException("cannot write tensor " + quoted(t.name()) + ": " + problem);
            }
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("cannot write tensor " + t.name() + " twice");
            }
            requireFinite(t);
            long span = t.dataBytes();
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + span);
            offset += span;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] bytes = Arrays.copyOf(json, padded);
        Arrays.fill(bytes, json.length, padded, (byte) ' ');
        return bytes;
    }

    private static void requireFinite(Tensor t) {
        long bad = firstNonFinite(t);
        if (bad >= 0) {
            throw new IllegalArgumentException("cannot write tensor " + t.name() + ": value at index " + bad + " is not finite");
        }
    }

    private static void writeData(OutputStream out, Tensor t) throws IOException {
        if (t.dtype().holdsBytes()) {
            out.write(t.bytes());
            return;
        }
        int n = (int) t.elementCount();
        int width = t.dtype().bytes();
        ByteBuffer buf = ByteBuffer.allocate(Math.min(n, CHUNK_ELEMENTS) * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < n; start += CHUNK_ELEMENTS) {
            int end = Math.min(n, start + CHUNK_ELEMENTS);
            buf.clear();
            for (int i = start; i < end; i++) {
                switch (t.dtype()) {
                    case F32 -> buf.putFloat(t.data()[i]);
                    case F64 -> buf.putDouble(t.data64()[i]);
                    case F16 -> buf.putShort(HalfFloats.toF16(t.data()[i]));
                    case BF16 -> buf.putShort(HalfFloats.toBf16(t.data()[i]));
                    default -> throw new IllegalStateException("no float encoding for " + t.dtype());
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a file of {@code fileLength} bytes; see {@link #read(InputStream, long, Map, String)}. */
    public static Contents read(InputStream in, long fileLength, Map<String, long[]> expectedShapes) throws IOException {
        return read(in, fileLength, expectedShapes, "safetensors file");
    }

    /**
     * Reads a safetensors file of {@code fileLength} bytes from {@code in} (not closed).
     *
     * @param expectedShapes when not null, the file must hold exactly these tensors with exactly these shapes
     * @param source         name used at the start of every error message (usually the file name)
     * @throws ModelFileException when the file is malformed, truncated, inconsistent with
     *                            {@code expectedShapes}, or holds NaN or infinite values
     */
    public static Contents read(InputStream in, long fileLength, Map<String, long[]> expectedShapes, String source)
            throws IOException {
        long headerLength = readHeaderLength(in, fileLength, source);
        byte[] headerBytes = readFully(in, (int) headerLength, source, "header");
        JsonNode header = parseJson(headerBytes, source);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = parseEntries(header, metadata, source);
        checkOffsets(entries, fileLength - 8 - headerLength, source);
        if (expectedShapes != null) {
            checkExpectedShapes(entries, expectedShapes, source);
        }
        List<Tensor> tensors = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            tensors.add(readTensor(in, e, source));
        }
        return new Contents(metadata, tensors);
    }

    private static long readHeaderLength(InputStream in, long fileLength, String source) throws IOException {
        if (fileLength < 8) {
            throw new ModelFileException(source + ": truncated: " + fileLength + " bytes, fewer than the 8-byte header length");
        }
        byte[] prefix = readFully(in, 8, source, "header length");
        long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ModelFileException(source + ": declared header length " + Long.toUnsignedString(n)
                    + " bytes exceeds the maximum of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n > fileLength - 8) {
            throw new ModelFileException(source + ": declared header length " + n + " bytes exceeds the file size ("
                    + fileLength + " bytes); the file is truncated or not a safetensors file");
        }
        return n;
    }

    private static byte[] readFully(InputStream in, int length, String source, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new ModelFileException(source + ": truncated while reading the " + what + ": expected " + length
                    + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static JsonNode parseJson(byte[] headerBytes, String source) throws ModelFileException {
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (JsonProcessingException e) {
            throw new ModelFileException(source + ": header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelFileException(source + ": header is not valid JSON: " + e.getMessage());
        }
        if (header == null || !header.isObject()) {
            throw new ModelFileException(source + ": header must be a JSON object");
        }
        return header;
    }

    private static List<Entry> parseEntries(JsonNode header, Map<String, String> metadata, String source)
            throws ModelFileException {
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA_KEY)) {
                parseMetadata(field.getValue(), metadata, source);
            } else {
                entries.add(parseEntry(field.getKey(), field.getValue(), source));
            }
        }
        return entries;
    }

    private static void parseMetadata(JsonNode node, Map<String, String> metadata, String source) throws ModelFileException {
        if (!node.isObject()) {
            throw new ModelFileException(source + ": " + METADATA_KEY + " must be an object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> kv = it.next();
            if (!kv.getValue().isTextual()) {
                throw new ModelFileException(source + ": " + METADATA_KEY + " value for " + quoted(kv.getKey())
                        + " must be a string, got " + kv.getValue().getNodeType());
            }
            metadata.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static Entry parseEntry(String name, JsonNode node, String source) throws ModelFileException {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new ModelFileException(source + ": unsafe tensor name " + quoted(name) + ": " + problem);
        }
        if (!node.isObject()) {
            throw new ModelFileException(source + ": tensor " + name + ": entry must be an object");
        }
        Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!Set.of("dtype", "shape", "data_offsets").contains(key)) {
                throw new ModelFileException(source + ": tensor " + name + ": unknown field " + quoted(key));
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new ModelFileException(source + ": tensor " + name + ": dtype missing or not a string");
        }
        DType dtype = DType.fromHeaderName(dtypeNode.textValue()).orElseThrow(() -> new ModelFileException(
                source + ": tensor " + name + ": unknown dtype " + quoted(dtypeNode.textValue())
                        + " (supported: " + Arrays.toString(DType.values()) + ")"));
        long[] shape = longArray(node.get("shape"), name, "shape", -1, source);
        if (shape.length > MAX_RANK) {
            throw new ModelFileException(source + ": tensor " + name + ": rank " + shape.length + " exceeds " + MAX_RANK);
        }
        long[] offsets = longArray(node.get("data_offsets"), name, "data_offsets", 2, source);
        if (offsets[1] < offsets[0]) {
            throw new ModelFileException(source + ": tensor " + name + ": data_offsets end " + offsets[1]
                    + " is before begin " + offsets[0]);
        }
        long elements;
        try {
            elements = Tensor.elementCount(shape);
            long span = Math.multiplyExact(elements, dtype.bytes());
            if (span != offsets[1] - offsets[0]) {
                throw new ModelFileException(source + ": tensor " + name + ": shape " + Arrays.toString(shape) + " of "
                        + dtype + " needs " + span + " bytes but data_offsets " + Arrays.toString(offsets) + " span "
                        + (offsets[1] - offsets[0]));
            }
        } catch (ArithmeticException e) {
            throw new ModelFileException(source + ": tensor " + name + ": shape " + Arrays.toString(shape) + " overflows");
        }
        if (elements > Integer.MAX_VALUE - 8) {
            throw new ModelFileException(source + ": tensor " + name + ": " + elements + " elements is more than one array holds");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longArray(JsonNode node, String name, String field, int requiredLength, String source)
            throws ModelFileException {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw new ModelFileException(source + ": tensor " + name + ": " + field + " must be an array"
                    + (requiredLength >= 0 ? " of " + requiredLength + " integers" : " of integers"));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ModelFileException(source + ": tensor " + name + ": " + field + " holds " + v
                        + ", not a non-negative integer");
            }
            values[i] = v.longValue();
        }
        return values;
    }

    /** Sorts entries by offset and requires them to tile the data region exactly. */
    private static void checkOffsets(List<Entry> entries, long dataLength, String source) throws ModelFileException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long position = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() < position) {
                throw new ModelFileException(source + ": tensor " + e.name() + " data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap tensor " + previous.name() + " [" + previous.begin() + ", " + previous.end() + "]");
            }
            if (e.begin() > position) {
                throw new ModelFileException(source + ": gap of " + (e.begin() - position) + " bytes before tensor "
                        + e.name() + " (data_offsets begin " + e.begin() + ", previous data ends at " + position + ")");
            }
            position = e.end();
            previous = e;
        }
        if (position > dataLength) {
            throw new ModelFileException(source + ": truncated: tensor data ends at byte " + position
                    + " but the file holds only " + dataLength + " data bytes");
        }
        if (position < dataLength) {
            throw new ModelFileException(source + ": " + (dataLength - position)
                    + " bytes after the last tensor's data are not described by the header");
        }
    }

    private static void checkExpectedShapes(List<Entry> entries, Map<String, long[]> expected, String source)
            throws ModelFileException {
        List<String> problems = new ArrayList<>();
        Map<String, Entry> byName = new LinkedHashMap<>();
        entries.forEach(e -> byName.put(e.name(), e));
        for (Map.Entry<String, long[]> want : new TreeMap<>(expected).entrySet()) {
            Entry have = byName.get(want.getKey());
            if (have == null) {
                problems.add("missing tensor " + want.getKey() + " (expected shape " + Arrays.toString(want.getValue()) + ")");
            } else if (!Arrays.equals(have.shape(), want.getValue())) {
                problems.add("tensor " + want.getKey() + " has shape " + Arrays.toString(have.shape())
                        + ", expected " + Arrays.toString(want.getValue()));
            }
        }
        for (String name : new TreeMap<>(byName).keySet()) {
            if (!expected.containsKey(name)) {
                problems.add("unexpected tensor " + name + " (shape " + Arrays.toString(byName.get(name).shape()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelFileException(source + " does not match the expected tensors: " + String.join("; ", problems));
        }
    }

    private static Tensor readTensor(InputStream in, Entry e, String source) throws IOException {
        int n = (int) Tensor.elementCount(e.shape());
        if (e.dtype().holdsBytes()) {
            byte[] bytes = readFully(in, n, source, "data of tensor " + e.name());
            return new Tensor(e.name(), e.dtype(), e.shape(), null, null, bytes);
        }
        int width = e.dtype().bytes();
        float[] f32 = e.dtype().holdsFloats() ? new float[n] : null;
        double[] f64 = e.dtype() == DType.F64 ? new double[n] : null;
        byte[] chunk = new byte[Math.min(n, CHUNK_ELEMENTS) * width];
        for (int start = 0; start < n; start += CHUNK_ELEMENTS) {
            int count = Math.min(CHUNK_ELEMENTS, n - start);
            int got = in.readNBytes(chunk, 0, count * width);
            if (got != count * width) {
                throw new ModelFileException(source + ": truncated in the data of tensor " + e.name());
            }
            ByteBuffer buf = ByteBuffer.wrap(chunk, 0, got).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                switch (e.dtype()) {
                    case F32 -> f32[start + i] = buf.getFloat();
                    case F64 -> f64[start + i] = buf.getDouble();
                    case F16 -> f32[start + i] = HalfFloats.fromF16(buf.getShort());
                    case BF16 -> f32[start + i] = HalfFloats.fromBf16(buf.getShort());
                    default -> throw new IllegalStateException("no float decoding for " + e.dtype());
                }
            }
        }
        Tensor t = new Tensor(e.name(), e.dtype(), e.shape(), f32, f64, null);
        long bad = firstNonFinite(t);
        if (bad >= 0) {
            double v = f32 != null ? f32[(int) bad] : f64[(int) bad];
            throw new ModelFileException(source + ": tensor " + e.name() + " holds " + (Double.isNaN(v) ? "NaN" : "infinity")
                    + " at index " + bad);
        }
        return t;
    }

    private static long firstNonFinite(Tensor t) {
        if (t.dtype().holdsBytes()) {
            return -1;
        }
        if (t.dtype().holdsFloats()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                if (!Float.isFinite(d[i])) {
                    return i;
                }
            }
        } else {
            double[] d = t.data64();
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Why {@code name} is not a safe tensor name, or null when it is. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (name.startsWith("__")) {
            return "names starting with __ are reserved";
        }
        if (name.contains("/") || name.contains("\\")) {
            return "contains a path separator";
        }
        if (name.contains("..")) {
            return "contains '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                return "contains control character U+" + String.format("%04X", (int) c);
            }
        }
        return null;
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
            if (b.length() > MAX_NAME_LENGTH + 20) {
                b.append("...");
                break;
            }
        }
        return b.append('"').toString();
    }
}
