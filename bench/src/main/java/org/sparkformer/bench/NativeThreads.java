package org.sparkformer.bench;

import org.nd4j.linalg.factory.Nd4j;

/** The native thread counts ND4J runs with in this JVM, to show there is no oversubscription. */
public final class NativeThreads {

    private NativeThreads() {
    }

    /** E.g. {@code "blas 1, nd4j 1"}: OpenBLAS threads and ND4J's (OpenMP) threads for element-wise ops. */
    public static String describe() {
        return "blas " + Nd4j.factory().blas().getMaxThreads() + ", nd4j " + Nd4j.getEnvironment().maxThreads();
    }
}
