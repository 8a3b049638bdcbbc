package org.sparkformer.driver.jobs;

import java.io.IOException;

/** The output directory already holds results and neither --overwrite nor --resume was given. */
public final class OutputExistsException extends IOException {
    public OutputExistsException(String message) {
        super(message);
    }
}
