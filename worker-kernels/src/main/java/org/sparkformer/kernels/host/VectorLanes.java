package org.sparkformer.kernels.host;

/**
 * Whether the host passes may use the JDK's vector API ({@code jdk.incubator.vector}, an incubator module in Java 17
 * that a JVM loads only when started with {@link #JVM_OPTION}). Where they may, {@link FloatExp} computes sixteen (or
 * however many the CPU holds) exponentials per instruction instead of one; the lane code performs the same float
 * operations in the same order as the scalar loops, so results are bit for bit the same either way and a cluster may
 * mix JVMs with and without the module. {@code -Dsparkformer.lanes=false} turns the lanes off.
 */
public final class VectorLanes {

    /** The JVM option that makes the vector API available. */
    public static final String JVM_OPTION = "--add-modules=jdk.incubator.vector";

    private static final String MODULE = "jdk.incubator.vector";
    /** Floats per vector register, or 0 where the lanes are not used. */
    private static final int FLOATS = detect();

    private VectorLanes() {
    }

    private static int detect() {
        if (!Boolean.parseBoolean(System.getProperty("sparkformer.lanes", "true"))
                || ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return 0;
        }
        int lanes = FloatExpLanes.lanes();
        return lanes >= 4 ? lanes : 0;        // narrower vectors are emulated, not compiled to SIMD instructions
    }

    /** Whether the lane code runs in this JVM. */
    public static boolean enabled() {
        return FLOATS > 0;
    }

    /** For logs and reports: {@code "16 floats"}, or why the lanes are off. */
    public static String describe() {
        if (enabled()) {
            return FLOATS + " floats";
        }
        return ModuleLayer.boot().findModule(MODULE).isEmpty() ? "off (start the JVM with " + JVM_OPTION + ")" : "off";
    }
}
