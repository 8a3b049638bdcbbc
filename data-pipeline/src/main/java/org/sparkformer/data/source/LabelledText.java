package org.sparkformer.data.source;

import java.io.Serializable;

/**
 * A text with its label and provenance.
 *
 * @param file  the file it came from
 * @param line  1-based line (or row)
 * @param text  the text
 * @param label the label as written in the input
 */
public record LabelledText(String file, long line, String text, String label) implements Serializable {

    public String sourceRef() {
        return file + ":" + line;
    }
}
