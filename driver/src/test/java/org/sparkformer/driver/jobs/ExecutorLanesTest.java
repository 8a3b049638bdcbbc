package org.sparkformer.driver.jobs;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.host.VectorLanes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorLanesTest {

    @Test
    void executorsGetTheVectorModuleOnceWhenTheDriverUsesTheLanes() {
        assertTrue(VectorLanes.enabled(), "the build runs tests with " + VectorLanes.JVM_OPTION);
        assertEquals("--add-modules=jdk.incubator.vector", ExecutorLanes.withLanes(null));
        assertEquals("--add-modules=jdk.incubator.vector", ExecutorLanes.withLanes(" "));
        assertEquals("-Dorg.bytedeco.openblas.num_threads=1 --add-modules=jdk.incubator.vector",
                ExecutorLanes.withLanes("-Dorg.bytedeco.openblas.num_threads=1"));
        String already = "-Xss4m --add-modules jdk.incubator.vector";
        assertEquals(already, ExecutorLanes.withLanes(already));
    }

    @Test
    void executorOptionsComeFromTheGivenConfiguration() {
        SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dx=1");
        assertEquals("-Dx=1 --add-modules=jdk.incubator.vector", ExecutorLanes.from(conf));
        assertEquals("--add-modules=jdk.incubator.vector", ExecutorLanes.from(new SparkConf(false)));
    }
}
