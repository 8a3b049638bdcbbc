package org.sparkformer.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.storage.OutputLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault 6: two jobs pointed at one output directory; the second fails fast and leaves the first alone. */
@ExtendWith(FaultLedger.class)
@FaultScenarios(1)
class OutputLockTest {

    @TempDir
    Path tmp;

    @Test
    void secondJobOnTheSameOutputFailsFastWithExitCode4WhileTheFirstCompletes() throws Exception {
        TestBed.spark();
        Path corpus = TestBed.corpusSlice(tmp.resolve("corpus.txt"), 60);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());
        Path output = tmp.resolve("out");
        String[] args = {"pretrain", "--config", config.toString(), "--output", output.toString()};

        CompletableFuture<TestBed.CliRun> first = CompletableFuture.supplyAsync(() -> TestBed.cli(args));
        Path lock = output.resolve(OutputLock.FILE_NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(lock) && !first.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(lock), "the first job holds the lock");

        long t0 = System.nanoTime();
        TestBed.CliRun second = TestBed.cli(args[0], args[1], args[2], args[3], args[4], "--overwrite");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertEquals(4, second.exitCode(), second.stderr());
        assertTrue(second.stderr().contains("output directory " + output.toUri().toString().replaceAll("/$", "")
                        .replace("file:///", "file:/") + " is in use by another job (pretrain started "),
                second.stderr());
        assertTrue(second.stderr().contains("by pid " + ProcessHandle.current().pid()), second.stderr());
        assertTrue(millis < 5_000, "failed fast: " + millis + " ms");

        TestBed.CliRun done = first.get(5, TimeUnit.MINUTES);
        assertEquals(0, done.exitCode(), done.stderr());
        assertTrue(Files.exists(output.resolve("model/config.json")), "the first job wrote its model: " + list(output));
        assertFalse(Files.exists(output.resolve("config.json")), "and only there: " + list(output));
        assertFalse(Files.exists(lock), "lock released");
    }

    private static String list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList().toString();
        }
    }
}
