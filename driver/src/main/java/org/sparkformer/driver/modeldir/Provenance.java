package org.sparkformer.driver.modeldir;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;

/**
 * Where a model came from: software versions, the command and effective configuration that produced it,
 * a fingerprint of its input data, and when.
 *
 * @param sparkformerVersion version of this software ("development" outside a packaged jar)
 * @param sparkVersion       Spark version the run used
 * @param nd4jVersion        ND4J version the run used
 * @param javaVersion        Java runtime version
 * @param command            the sub-command, e.g. "finetune"
 * @param effectiveConfig    the full configuration as YAML
 * @param dataFingerprint    see {@link DataFingerprint}
 * @param createdAt          ISO-8601 instant the model was written
 */
public record Provenance(String sparkformerVersion, String sparkVersion, String nd4jVersion, String javaVersion,
                         String command, String effectiveConfig, String dataFingerprint, String createdAt) {

    public Provenance {
        for (String[] field : new String[][]{{"sparkformerVersion", sparkformerVersion}, {"sparkVersion", sparkVersion},
                {"nd4jVersion", nd4jVersion}, {"javaVersion", javaVersion}, {"command", command},
                {"effectiveConfig", effectiveConfig}, {"dataFingerprint", dataFingerprint}, {"createdAt", createdAt}}) {
            if (field[1] == null) {
                throw new IllegalArgumentException("provenance field " + field[0] + " is missing");
            }
        }
    }

    /** Provenance of a model written now by this JVM. */
    public static Provenance now(String command, String effectiveConfigYaml, String dataFingerprint) {
        return new Provenance(mavenVersion("org.sparkformer", "sparkformer-driver"), runningSparkVersion(),
                mavenVersion("org.nd4j", "nd4j-api"), System.getProperty("java.version"), command, effectiveConfigYaml,
                dataFingerprint, Instant.now().toString());
    }

    private static String runningSparkVersion() {
        try {
            return org.apache.spark.package$.MODULE$.SPARK_VERSION();
        } catch (LinkageError e) {
            return "unknown";
        }
    }

    /** Version from a jar's Maven metadata, or "development" when running from a build directory. */
    static String mavenVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "development";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
