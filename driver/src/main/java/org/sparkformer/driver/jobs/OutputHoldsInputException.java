package org.sparkformer.driver.jobs;

/** The output directory is, or contains, one of the job's own inputs: replacing it would destroy what the job reads. */
public final class OutputHoldsInputException extends IllegalArgumentException {
    public OutputHoldsInputException(String message) {
        super(message);
    }
}
