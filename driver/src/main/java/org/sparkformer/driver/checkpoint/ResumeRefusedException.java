package org.sparkformer.driver.checkpoint;

/**
 * A resume that would not continue the run it names: there is no complete checkpoint to continue from, or the
 * settings given now differ from those the checkpoint was written with.
 */
public final class ResumeRefusedException extends IllegalStateException {

    public ResumeRefusedException(String message) {
        super(message);
    }
}
