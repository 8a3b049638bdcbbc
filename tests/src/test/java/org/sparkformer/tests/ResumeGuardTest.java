package org.sparkformer.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --resume} continues the run its checkpoints belong to, or refuses: settings that shape the run must equal the
 * checkpoint's (a diff of the keys that changed otherwise), more epochs are allowed, and a resume with no checkpoint
 * to continue from says so instead of starting over.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(2)
class ResumeGuardTest {

    @TempDir
    Path tmp;

    @Test
    void resumeWithChangedSettingsIsRefusedWithTheKeysThatChangedAndMoreEpochsAreAllowed() throws Exception {
        TestBed.spark();
        Path corpus = TestBed.corpusSlice(tmp.resolve("corpus.txt"), 40);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());
        Path output = tmp.resolve("out");
        String[] base = {"pretrain", "--config", config.toString(), "--output", output.toString(), "--set", "training.epochs=1"};
        assertEquals(0, TestBed.cli(base).exitCode());
        String savedConfig = Files.readString(output.resolve("effective-config.yaml"));

        TestBed.CliRun changed = TestBed.cli(concat(base, "--resume", "--set", "training.lr=0.001", "--set",
                "training.seed=7"));

        assertEquals(2, changed.exitCode(), changed.stderr());
        assertTrue(changed.stderr().contains("training.lr: 0.005 in the checkpoint, 0.001 now"), changed.stderr());
        assertTrue(changed.stderr().contains("training.seed: 1234 in the checkpoint, 7 now"), changed.stderr());
        assertFalse(changed.stderr().contains("training.batchSize"), "only the keys that changed: " + changed.stderr());
        assertEquals(savedConfig, Files.readString(output.resolve("effective-config.yaml")),
                "the refused resume leaves the configuration of the checkpoints in place");

        TestBed.CliRun longer = TestBed.cli(concat(base, "--resume", "--set", "training.epochs=2"));

        assertEquals(0, longer.exitCode(), longer.stderr());
        assertTrue(Files.readString(output.resolve("effective-config.yaml")).matches("(?s).*\\bepochs: \"?2\"?\\n.*"),
                "the effective configuration is the resumed run's");
    }

    @Test
    void resumeWithNothingToResumeSaysSoInsteadOfStartingOver() throws Exception {
        TestBed.spark();
        Path corpus = TestBed.corpusSlice(tmp.resolve("corpus.txt"), 40);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());
        Path output = tmp.resolve("empty-out");

        TestBed.CliRun run = TestBed.cli("pretrain", "--config", config.toString(), "--output", output.toString(), "--resume");

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("holds no complete checkpoint of this run to resume from; run without --resume"),
                run.stderr());
        assertFalse(Files.exists(output.resolve("model")), "nothing was trained");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
