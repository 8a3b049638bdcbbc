package org.sparkformer.driver.jobs;

import org.apache.spark.SparkConf;
import org.sparkformer.kernels.host.VectorLanes;

/**
 * Executors use the worker kernels' vector lanes ({@link VectorLanes}) when the driver does: the module option joins
 * {@code spark.executor.extraJavaOptions} unless those options already name the module. The lanes give the same bits
 * as the scalar loops, so an executor without them trains the same model, only slower.
 */
public final class ExecutorLanes {

    static final String KEY = "spark.executor.extraJavaOptions";
    private static final String MODULE = "jdk.incubator.vector";

    private ExecutorLanes() {
    }

    /** The executor Java options to set, starting from {@code options} (null for none), or {@code options} unchanged. */
    public static String withLanes(String options) {
        if (!VectorLanes.enabled() || (options != null && options.contains(MODULE))) {
            return options;
        }
        return options == null || options.isBlank() ? VectorLanes.JVM_OPTION : options + " " + VectorLanes.JVM_OPTION;
    }

    /** {@link #withLanes} applied to the executor options {@code given} holds. */
    public static String from(SparkConf given) {
        return withLanes(given.contains(KEY) ? given.get(KEY) : null);
    }
}
