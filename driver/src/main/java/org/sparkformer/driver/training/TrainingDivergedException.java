package org.sparkformer.driver.training;

/** Training produced a NaN or infinite loss; the message names the round and, where known, the partition. */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
