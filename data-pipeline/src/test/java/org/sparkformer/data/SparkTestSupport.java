package org.sparkformer.data;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session (local[2]) all data-pipeline tests share, an on-demand HDFS mini cluster, and small
 * file-writing helpers.
 */
public final class SparkTestSupport {

    private static SparkSession spark;
    private static MiniDFSCluster hdfs;

    private SparkTestSupport() {
    }

    public static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("data-pipeline-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    public static Configuration hadoopConf() {
        return spark().sparkContext().hadoopConfiguration();
    }

    /** Starts a one-datanode HDFS bound to 127.0.0.1 (once); returns its hdfs:// base URI. */
    public static synchronized String startHdfs(Path baseDir) throws IOException {
        if (hdfs == null) {
            Configuration conf = new Configuration();
            conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
            conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
            conf.set("dfs.datanode.address", "127.0.0.1:0");
            conf.set("dfs.datanode.http.address", "127.0.0.1:0");
            conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
            conf.set("dfs.namenode.http-address", "127.0.0.1:0");
            hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
            hdfs.waitActive();
        }
        return hdfs.getURI().toString();
    }

    public static synchronized void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
            hdfs = null;
        }
    }

    /** Copies a local file or directory tree to HDFS under {@code target}. */
    public static void copyToHdfs(Path local, String target) throws IOException {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
        dst.getFileSystem(hadoopConf()).copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), dst);
    }

    public static Path write(Path file, String text) throws IOException {
        return writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Path writeBytes(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    public static Path writeGzip(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** The repository's small WordNet sample directory. */
    public static Path sampleData() {
        String root = System.getProperty("sparkformer.repo.root", new File("..").getAbsolutePath());
        return Path.of(root, "conf", "sample-data", "wordnet");
    }
}
