package org.sparkformer.data.source;

import java.io.Serializable;
import java.util.List;

/**
 * A document of an unlabelled corpus: its sentences (or lines) in order, and where it starts.
 *
 * @param file      the file it came from
 * @param line      1-based line (or Parquet row) where it starts
 * @param sentences its sentences, none blank
 */
public record Document(String file, long line, List<String> sentences) implements Serializable {

    public Document {
        sentences = List.copyOf(sentences);
    }

    /** "file:line", the reference carried on into encoded sequences. */
    public String sourceRef() {
        return file + ":" + line;
    }
}
