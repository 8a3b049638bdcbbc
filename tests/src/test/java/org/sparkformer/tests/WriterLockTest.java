package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.ml.SparkformerClassificationModel;
import org.sparkformer.driver.ml.SparkformerClassifier;
import org.sparkformer.driver.storage.OutputLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java API's and Spark ML's writers take the output lock the command line's jobs take: while a job holds a
 * directory, a model saved into it from a notebook fails at once naming the holder, and writes nothing.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(2)
class WriterLockTest {

    @TempDir
    Path tmp;

    @Test
    void aModelSavedIntoADirectoryAnotherJobHoldsFailsNamingTheHolder() throws Exception {
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        Path output = tmp.resolve("out");
        try (HeldElsewhere held = new HeldElsewhere(fs, output)) {
            Exception e = assertThrows(Exception.class, () -> TestBed.writeTinyModel(fs, output.resolve("model")));

            assertTrue(String.valueOf(e.getMessage()).contains("is in use by another job (pretrain started"), e.getMessage());
            assertFalse(Files.exists(output.resolve("model")), "nothing written");
        }
        TestBed.writeTinyModel(fs, output.resolve("model"));
        assertFalse(Files.exists(output.resolve(OutputLock.FILE_NAME)), "the save released its lock");
    }

    @Test
    void aSparkMlStageSavedIntoADirectoryAnotherJobHoldsFailsNamingTheHolder() throws Exception {
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        SparkformerClassificationModel model = new SparkformerClassifier().setPreset("tiny").setMaxLength(16)
                .setVocabSize(60).setBatchSize(8).setWorkers(2).setAveragingFrequency(2).setEpochs(1).setSeed(7)
                .fit(reviews());
        Path output = tmp.resolve("ml");
        try (HeldElsewhere held = new HeldElsewhere(fs, output)) {
            Exception e = assertThrows(Exception.class, () -> model.write().save(output.resolve("stage").toString()));

            assertTrue(String.valueOf(e.getMessage()).contains("is in use by another job (pretrain started"), e.getMessage());
            assertFalse(Files.exists(output.resolve("stage")), "nothing written");
        }
    }

    private static Dataset<Row> reviews() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            rows.add(RowFactory.create(i % 2 == 0 ? "good fine great film" : "bad poor awful film", i % 2 == 0 ? "pos" : "neg"));
        }
        StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.StringType);
        return TestBed.spark().createDataFrame(rows, schema);
    }

    /** The output lock of a directory, held by another thread (as by a job) until closed. */
    private static final class HeldElsewhere implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final CompletableFuture<Void> holder;

        HeldElsewhere(FileSystem fs, Path dir) throws Exception {
            CountDownLatch taken = new CountDownLatch(1);
            holder = CompletableFuture.runAsync(() -> {
                try (OutputLock lock = OutputLock.acquire(fs, new org.apache.hadoop.fs.Path(dir.toString()), "pretrain")) {
                    taken.countDown();
                    release.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(taken.await(30, TimeUnit.SECONDS), "lock taken");
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
    }
}
