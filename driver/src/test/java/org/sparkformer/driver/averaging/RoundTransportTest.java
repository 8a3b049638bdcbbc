package org.sparkformer.driver.averaging;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Spark settings the jobs add for rounds that travel through Spark, and the scripts' copy of them. */
class RoundTransportTest {

    private static final Path SPARK_DEFAULTS = Path.of(System.getProperty("sparkformer.repo.root", ".."), "conf",
            "spark-defaults.conf");

    @Test
    void scriptsSparkDefaultsHoldTheSameValuesAsTheJobsAdd() throws IOException {
        Map<String, String> conf = new HashMap<>();
        for (String line : Files.readAllLines(SPARK_DEFAULTS)) {
            String[] keyValue = line.trim().split("\\s+", 2);
            if (!line.isBlank() && !line.trim().startsWith("#")) {
                conf.put(keyValue[0], keyValue[1]);
            }
        }

        RoundTransport.SETTINGS.forEach((key, value) -> assertEquals(value, conf.get(key), key + " in " + SPARK_DEFAULTS));
    }

    @Test
    void aValueTheUserSetIsKept() {
        SparkConf given = new SparkConf(false).set("spark.broadcast.blockSize", "4m");

        Map<String, String> missing = RoundTransport.missingFrom(given);

        assertEquals(RoundTransport.SETTINGS.size() - 1, missing.size());
        assertEquals("false", missing.get("spark.broadcast.compress"));
        assertEquals(null, missing.get("spark.broadcast.blockSize"));
    }
}
