package org.sparkformer.kernels.host;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a section with the BLAS on one thread per call, for work that {@link HostThreads} splits by rows with each
 * thread issuing its own products (the inference path's groups of sequences): OpenBLAS (0.3.19, bundled with ND4J)
 * otherwise splits every product over all its threads, even a {@code [128, 128, 64]} one, and two callers that each
 * want all of them contend for its one thread server instead of running side by side. The thread count is
 * process-wide, so nested and concurrent sections count their entries: the first sets one thread, the last restores
 * the count it found.
 */
public final class BlasThreads {

    private static final Object LOCK = new Object();
    private static int sections;
    private static int saved;

    private BlasThreads() {
    }

    /** Runs {@code body} with one BLAS thread per call; the BLAS's own count again after it, however it ends. */
    public static void oneEach(Runnable body) {
        Blas blas = Nd4j.factory().blas();
        synchronized (LOCK) {
            if (sections++ == 0) {
                saved = blas.getMaxThreads();
                blas.setMaxThreads(1);
            }
        }
        try {
            body.run();
        } finally {
            synchronized (LOCK) {
                if (--sections == 0) {
                    blas.setMaxThreads(saved);
                }
            }
        }
    }
}
