package org.sparkformer.kernels.host;

/** The ND4J backend a job found is not one the kernels run on ({@link SupportedBackend}); the message is one line. */
public final class UnsupportedBackendException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public UnsupportedBackendException(String message) {
        super(message);
    }
}
