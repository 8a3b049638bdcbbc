package org.sparkformer.driver.averaging;

import org.apache.spark.SparkConf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark settings that make an averaging round cheap to move when its arrays travel through Spark rather than on
 * the driver's {@link RoundChannel} (turned off, or a secured cluster): then every round broadcasts the parameters and
 * optimizer moments and brings one copy per partition back to the driver in the task results. These are float arrays
 * (packed into byte arrays, {@link PackedFloats}), so
 * <ul>
 *   <li>{@code spark.broadcast.compress false}: compressing incompressible floats costs CPU on the driver and on every
 *       executor each round and saves nothing;</li>
 *   <li>{@code spark.broadcast.blockSize 32m}: an executor fetches a broadcast piece by piece, each piece with a location
 *       lookup, a fetch and a report to the driver; with Spark's 4m pieces the reference model's 21 MB of parameters
 *       and 42 MB of moments are 6 and 11 pieces, with 32m one and two (measured: a transport-only round 0.3 s
 *       shorter). Executors still share pieces with each other, only coarser;</li>
 *   <li>{@code spark.task.maxDirectResultSize 120m}: a partition's result (4 bytes x (parameters + moments), 64 MB for the
 *       reference d256 model) travels in the task's own result message instead of being stored in the executor's
 *       block manager and fetched by the driver in a second transfer (Spark caps it at {@code
 *       spark.rpc.message.maxSize}, 128 MiB by default);</li>
 *   <li>{@code spark.driver.maxResultSize 2g}: the partitions' results of one round together exceed Spark's 1g
 *       default for models a little larger than the reference one.</li>
 * </ul>
 * A value the user set (spark-submit {@code --conf}, spark-defaults.conf) always wins.
 */
public final class RoundTransport {

    /** The settings and their values. */
    public static final Map<String, String> SETTINGS;

    static {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.broadcast.compress", "false");
        s.put("spark.broadcast.blockSize", "32m");
        s.put("spark.task.maxDirectResultSize", "120m");
        s.put("spark.driver.maxResultSize", "2g");
        SETTINGS = Map.copyOf(s);
    }

    private RoundTransport() {
    }

    /** The settings {@code given} does not set already, to add to a session or context being built. */
    public static Map<String, String> missingFrom(SparkConf given) {
        Map<String, String> missing = new LinkedHashMap<>();
        SETTINGS.forEach((key, value) -> {
            if (!given.contains(key)) {
                missing.put(key, value);
            }
        });
        return missing;
    }
}
