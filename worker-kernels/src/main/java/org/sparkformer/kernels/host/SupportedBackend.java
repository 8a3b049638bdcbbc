package org.sparkformer.kernels.host;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * The ND4J backend these kernels run on: the CPU one (nd4j-native) alone. The host kernels read and write an array's
 * host memory and call the CPU backend's BLAS, so on another backend they would compute on stale copies rather than
 * fail. Every job refuses any other backend at its start, the driver before it starts work and each task that uses
 * the kernels before it builds or borrows a model (an executor may run another backend than the driver), with one
 * line saying what is supported.
 */
public final class SupportedBackend {

    /** The backend class of nd4j-native, the one backend the kernels support. */
    public static final String CPU_BACKEND_CLASS = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    /** Set once this JVM's backend has passed: a JVM loads one backend, so it is checked once. */
    private static volatile boolean passed;

    private SupportedBackend() {
    }

    /** Refuses the ND4J backend this JVM has loaded unless it is the CPU one. */
    public static void require() {
        if (!passed) {
            require(Nd4j.getBackend());
            passed = true;
        }
    }

    /** Refuses {@code backend} unless it is the CPU one. */
    public static void require(Nd4jBackend backend) {
        require(backend.getClass().getName());
    }

    /**
     * Refuses the backend of class {@code backendClass} unless it is the CPU one.
     *
     * @throws UnsupportedBackendException with one line naming the backend and what is supported
     */
    public static void require(String backendClass) {
        if (!CPU_BACKEND_CLASS.equals(backendClass)) {
            throw new UnsupportedBackendException("ND4J backend " + displayName(backendClass) + " (" + backendClass
                    + ") is not supported yet: Sparkformer's kernels run on the CPU backend (nd4j-native) only; build"
                    + " without -Pcuda");
        }
    }

    /** CUDA for nd4j-cuda's backend, the class's simple name for any other. */
    static String displayName(String backendClass) {
        if (CUDA_BACKEND_CLASS.equals(backendClass)) {
            return "CUDA";
        }
        return backendClass.substring(backendClass.lastIndexOf('.') + 1);
    }
}
