package org.sparkformer.kernels.io;

import java.io.IOException;

/** A model file that cannot be used: malformed, truncated, inconsistent with the configuration, or corrupt. */
public class ModelFileException extends IOException {

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
