package org.sparkformer.kernels.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The SHA-256 and size of each file in a directory, stored as {@code checksums.json}:
 * <pre>{"format": "sparkformer-checksums", "version": 1,
 *  "files": {"model.safetensors": {"sha256": "9f86...", "size": 1234}}}</pre>
 * File names are plain relative names (sub-directories with '/', never '..' or absolute).
 */
public record ChecksumManifest(Map<String, Entry> files) {

    /** The usual file name of a manifest. */
    public static final String FILE_NAME = "checksums.json";
    private static final String FORMAT = "sparkformer-checksums";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Digest and size of one file. */
    public record Entry(String sha256, long size) {
    }

    public ChecksumManifest {
        files = Map.copyOf(new TreeMap<>(files));
        for (String name : files.keySet()) {
            String problem = relativeNameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException("unsafe file name in checksum manifest " + name + ": " + problem);
            }
        }
    }

    /** The manifest as JSON text, files in name order. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ObjectNode list = root.putObject("files");
        new TreeMap<>(files).forEach((name, e) -> list.putObject(name).put("sha256", e.sha256()).put("size", e.size()));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("JSON tree cannot fail to serialize", e);
        }
    }

    /** Parses and validates a manifest; {@code source} names it in errors. */
    public static ChecksumManifest parse(byte[] json, String source) throws ModelFileException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelFileException(source + ": not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new ModelFileException(source + ": not a checksum manifest (format must be \"" + FORMAT + "\")");
        }
        if (root.path("version").asInt(-1) != 1) {
            throw new ModelFileException(source + ": unsupported manifest version " + root.get("version"));
        }
        JsonNode list = root.get("files");
        if (list == null || !list.isObject()) {
            throw new ModelFileException(source + ": \"files\" must be an object");
        }
        Map<String, Entry> files = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = list.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            String problem = relativeNameProblem(name);
            if (problem != null) {
                throw new ModelFileException(source + ": unsafe file name " + name + ": " + problem);
            }
            JsonNode sha = f.getValue().get("sha256");
            JsonNode size = f.getValue().get("size");
            if (sha == null || !sha.isTextual() || !HEX64.matcher(sha.textValue()).matches()) {
                throw new ModelFileException(source + ": file " + name + ": sha256 must be 64 lower-case hex digits");
            }
            if (size == null || !size.isIntegralNumber() || size.longValue() < 0) {
                throw new ModelFileException(source + ": file " + name + ": size must be a non-negative integer");
            }
            files.put(name, new Entry(sha.textValue(), size.longValue()));
        }
        return new ChecksumManifest(files);
    }

    /** Checks one file's bytes against its entry; the error names the file and both digests or sizes. */
    public void verify(String name, InputStream content) throws IOException {
        Entry want = files.get(name);
        if (want == null) {
            throw new ModelFileException(name + " is not listed in the checksum manifest");
        }
        Entry have = Checksums.sha256(content);
        if (have.size() != want.size()) {
            throw new ModelFileException("checksum mismatch for " + name + ": size " + have.size() + " bytes, manifest says "
                    + want.size() + " (truncated or modified)");
        }
        if (!have.sha256().equals(want.sha256())) {
            throw new ModelFileException("checksum mismatch for " + name + ": sha256 " + have.sha256() + ", manifest says "
                    + want.sha256() + " (file modified or corrupt)");
        }
    }

    /** Builds a manifest over {@code names} relative to a local {@code dir}. */
    public static ChecksumManifest ofLocalFiles(Path dir, Set<String> names) throws IOException {
        Map<String, Entry> files = new TreeMap<>();
        for (String name : names) {
            try (InputStream in = Files.newInputStream(dir.resolve(name))) {
                files.put(name, Checksums.sha256(in));
            }
        }
        return new ChecksumManifest(files);
    }

    /** Verifies every listed file under a local {@code dir}, in name order; the first mismatch or missing file is named. */
    public void verifyLocal(Path dir) throws IOException {
        for (String name : new java.util.TreeSet<>(files.keySet())) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new ModelFileException("file " + name + " listed in the checksum manifest is missing from " + dir);
            }
            try (InputStream in = Files.newInputStream(file)) {
                verify(name, in);
            }
        }
    }

    /** Manifest text as bytes. */
    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** Why {@code name} is not a safe relative file name, or null when it is. */
    public static String relativeNameProblem(String name) {
        if (name.isEmpty() || name.length() > 512) {
            return "empty or too long";
        }
        if (name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            return "must be relative, with '/' separators";
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "contains an empty, '.' or '..' component";
            }
        }
        for (char c : name.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
        }
        return null;
    }
}
