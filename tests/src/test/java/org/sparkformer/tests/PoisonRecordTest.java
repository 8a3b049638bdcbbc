package org.sparkformer.tests;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault 8: a record that fails on every attempt ends the job after Spark's retries, naming file and line. */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class PoisonRecordTest {

    @TempDir
    Path tmp;

    @Test
    void poisonRecordUnderFailPolicyEndsTheJobAfterFourAttemptsNamingFileAndLine() throws Exception {
        Path corpus = TestBed.corpusSlice(tmp.resolve("poisoned.txt"), 40);
        long poisonLine = Files.readAllLines(corpus).size() + 1;
        Files.write(corpus, new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, '(', '\n'}, StandardOpenOption.APPEND);
        Files.writeString(corpus, "a good line after it\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());

        AtomicInteger failedAttempts = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful() && end.reason().toString().contains("BadRecordException")) {
                    failedAttempts.incrementAndGet();
                }
            }
        };
        TestBed.spark().sparkContext().addSparkListener(counter);
        try {
            TestBed.CliRun run = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> TestBed.cli("pretrain",
                    "--config", config.toString(), "--output", tmp.resolve("out").toString()));

            assertEquals(1, run.exitCode(), run.stderr());
            assertTrue(run.stderr().contains(corpus.toString() + ":" + poisonLine + ": invalid UTF-8: malformed byte sequence"),
                    "names file and line: " + run.stderr());
            assertTrue(run.stderr().contains("failed 4 times"), "after Spark's retries: " + run.stderr());
            TestBed.spark().sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(4, failedAttempts.get(), "every attempt met the poison record");
        } finally {
            TestBed.spark().sparkContext().removeSparkListener(counter);
        }
    }
}
