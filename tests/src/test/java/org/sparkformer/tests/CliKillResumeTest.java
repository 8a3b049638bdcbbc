package org.sparkformer.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real command line, killed with SIGKILL in the middle of pretraining and started again with {@code --resume},
 * ends with the model and the last checkpoint's parameters and optimizer state of a run that was never killed, byte
 * for byte (sha256). Three driver JVMs of their own; it takes about two minutes on a 2-core machine, so it runs only with
 * {@code -Dsparkformer.slowTests=true}.
 */
@EnabledIfSystemProperty(named = "sparkformer.slowTests", matches = "true")
class CliKillResumeTest {

    private static final int KILL_AFTER_CHECKPOINTS = 3;

    @TempDir
    Path tmp;

    @Test
    void aDriverKilledMidRunResumesToTheSameBytesAsARunNeverKilled() throws Exception {
        Path corpus = TestBed.corpusSlice(tmp.resolve("corpus.txt"), 200);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());
        Path whole = tmp.resolve("whole");
        Path killed = tmp.resolve("killed");

        assertEquals(0, cli(config, whole).waitFor(), "the run never killed");

        Process victim = start(config, killed);
        Path checkpoints = killed.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (completeCheckpoints(checkpoints) < KILL_AFTER_CHECKPOINTS && victim.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(victim.isAlive(), "the run was still going after " + KILL_AFTER_CHECKPOINTS + " checkpoints");
        victim.destroyForcibly();       // SIGKILL
        assertEquals(137, victim.waitFor(), "killed by SIGKILL");
        assertFalse(Files.exists(killed.resolve("model/model.safetensors")), "killed before the model was written");
        int newest = newestRound(checkpoints);
        assertTrue(newest < newestRound(whole.resolve("checkpoints")), "killed mid-run, after round " + newest);

        assertEquals(0, cli(config, killed, "--resume").waitFor(), "the resumed run");

        assertEquals(sha256(whole.resolve("model/model.safetensors")), sha256(killed.resolve("model/model.safetensors")),
                "the model's parameters");
        Path last = whole.resolve("checkpoints").resolve(String.format("round-%06d", newestRound(whole.resolve("checkpoints"))));
        Path lastResumed = killed.resolve("checkpoints").resolve(last.getFileName());
        for (Path file : tensorFiles(last)) {
            assertEquals(sha256(file), sha256(lastResumed.resolve(file.getFileName())), "the last checkpoint's " + file.getFileName());
        }
    }

    private Process cli(Path config, Path output, String... more) throws IOException {
        return start(config, output, more);
    }

    /** {@code sparkformer pretrain} in a JVM of its own, on this test class path, local[2]. */
    private Process start(Path config, Path output, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.sparkformer.driver.cli.Sparkformer",
                "pretrain", "--master", "local[2]", "--config", config.toString(), "--output", output.toString(),
                "--set", "training.epochs=12"));
        command.addAll(List.of(more));
        Path log = tmp.resolve(output.getFileName() + (more.length > 0 ? "-resumed" : "") + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Checkpoints whose manifest has been written (the manifest comes last). */
    private static int completeCheckpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> rounds = Files.list(dir)) {
            return (int) rounds.filter(r -> r.getFileName().toString().startsWith("round-"))
                    .filter(r -> Files.exists(r.resolve("MANIFEST.json"))).count();
        }
    }

    private static int newestRound(Path dir) throws IOException {
        try (Stream<Path> rounds = Files.list(dir)) {
            Optional<Integer> newest = rounds.map(r -> r.getFileName().toString()).filter(n -> n.matches("round-\\d{6,}"))
                    .map(n -> Integer.parseInt(n.substring(6))).max(Integer::compare);
            return newest.orElse(-1);
        }
    }

    private static List<Path> tensorFiles(Path checkpoint) throws IOException {
        try (Stream<Path> files = Files.list(checkpoint)) {
            List<Path> tensors = files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            assertFalse(tensors.isEmpty(), "tensor files in " + checkpoint);
            return tensors;
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
