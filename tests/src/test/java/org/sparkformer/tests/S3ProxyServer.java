package org.sparkformer.tests;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

import java.io.IOException;
import java.net.URI;

/**
 * A real S3 API server in this JVM: S3Proxy (its HTTP handler, request signatures and XML as a client sees them)
 * over jclouds' in-memory blob store, on 127.0.0.1 at a free port, with one bucket, {@value #BUCKET}.
 * {@link #fileSystem} is an S3A file system on it (path-style requests, plain HTTP, fake static credentials), on which
 * a rename is a copy of every object followed by a delete, as on every object store. The server stops when closed,
 * and at the latest when the JVM exits.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String BUCKET = "sparkformer";
    private static final String ACCESS_KEY = "sparkformer-test-access-key";
    private static final String SECRET_KEY = "sparkformer-test-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext blobs;
    private final Thread shutdownHook;
    private final Configuration conf;

    private S3ProxyServer(S3Proxy proxy, BlobStoreContext blobs) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.shutdownHook = new Thread(this::stop, "s3proxy-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        conf = new Configuration();
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort());
        conf.set("fs.s3a.endpoint.region", "us-east-1");
        conf.setBoolean("fs.s3a.path.style.access", true);
        conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.set("fs.s3a.access.key", ACCESS_KEY);
        conf.set("fs.s3a.secret.key", SECRET_KEY);
        // a server on this machine answers at once or not at all: fail in seconds rather than retry for minutes
        conf.setInt("fs.s3a.attempts.maximum", 2);
        conf.setInt("fs.s3a.retry.limit", 2);
        conf.set("fs.s3a.retry.interval", "100ms");
        conf.set("fs.s3a.connection.establish.timeout", "5s");
        conf.set("fs.s3a.connection.timeout", "30s");
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        // no round trip for "100 Continue" before each upload's body
        conf.setBoolean("fs.s3a.connection.expect.continue", false);
    }

    /** Starts a server and creates the bucket. */
    static S3ProxyServer start() throws Exception {
        // jclouds' in-memory store: keys in one flat namespace, as S3 has them. (Its filesystem store keeps, as a
        // directory on disk, a prefix whose objects have all been deleted, and lists it as an empty "directory" that no
        // S3 request removes: after an S3A rename, which copies and deletes, the source stays listed.) Named by its
        // metadata, not its name: a name is looked up among every provider on the class path, S3Proxy's Azure one
        // included, whose SDK is left out.
        BlobStoreContext blobs = ContextBuilder.newBuilder(new TransientApiMetadata()).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
                }
                Thread.sleep(10);
            }
            blobs.getBlobStore().createContainerInLocation(null, BUCKET);
        } catch (Exception e) {
            proxy.stop();
            blobs.close();
            throw e;
        }
        return new S3ProxyServer(proxy, blobs);
    }

    /** The Hadoop configuration that reaches this server through S3A. */
    Configuration conf() {
        return new Configuration(conf);
    }

    /** {@code s3a://sparkformer/<path>}. */
    Path path(String path) {
        return new Path("s3a://" + BUCKET + "/" + path);
    }

    /** A new S3A file system on this server (the caller closes it). */
    FileSystem fileSystem() throws IOException {
        return FileSystem.newInstance(URI.create("s3a://" + BUCKET + "/"), conf());
    }

    private synchronized void stop() {
        try {
            if (!"STOPPED".equals(proxy.getState())) {
                proxy.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy on port " + proxy.getPort(), e);
        } finally {
            blobs.close();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }
}
