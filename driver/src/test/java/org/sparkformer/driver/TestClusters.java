package org.sparkformer.driver;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The one place tests get Spark and HDFS from: a shared local SparkSession ({@code local[2,4]}: two
 * threads, tasks retried up to four times) and a shared one-datanode MiniDFSCluster bound to 127.0.0.1,
 * each started on first use and stopped when the test JVM exits.
 */
public final class TestClusters {

    private static SparkSession spark;
    private static MiniDFSCluster dfs;

    private TestClusters() {
    }

    public static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2,4]")
                    .appName("sparkformer-driver-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    public static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    /** The shared HDFS file system (a MiniDFSCluster started on first use). */
    public static synchronized FileSystem hdfs() {
        try {
            if (dfs == null) {
                dfs = startHdfs(1, 1);
                MiniDFSCluster started = dfs;
                Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
            }
            return dfs.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a MiniDFSCluster of its own on 127.0.0.1 with {@code dataNodes} DataNodes and files of {@code replication}
     * replicas; the caller shuts it down.
     */
    public static MiniDFSCluster startHdfs(int dataNodes, int replication) throws IOException {
        File base = Files.createTempDirectory("minidfs").toFile();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setInt("dfs.replication", replication);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(dataNodes).build();
        cluster.waitActive();
        return cluster;
    }

    /** Hadoop configuration for the local file system. */
    public static Configuration localConf() {
        return new Configuration();
    }
}
