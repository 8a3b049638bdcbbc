package org.sparkformer.driver.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Metrics as a JSON document: numbers that JSON cannot hold become null; files are written to a temporary name, then renamed. */
public final class MetricsJson {

    /** File name of the evaluate job's metrics in its output directory. */
    public static final String FILE_NAME = "metrics.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsJson() {
    }

    /** Puts {@code value}, or null when it is NaN or infinite. */
    static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    /** Indented JSON with a trailing newline. */
    public static String pretty(ObjectNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write metrics as JSON", e);
        }
    }

    /** Writes {@code node} to {@code file}: a temporary file next to it first, then a rename over any old one. */
    public static void write(FileSystem fs, Path file, ObjectNode node) throws IOException {
        Path temp = new Path(file.getParent(), "_tmp-" + file.getName());
        try (FSDataOutputStream out = fs.create(temp, true)) {
            out.write(pretty(node).getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(file, false);
        if (!fs.rename(temp, file)) {
            throw new IOException("cannot rename " + temp + " to " + file);
        }
    }
}
