package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TokenizerSettings;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --resume} continues the run its checkpoints belong to, or refuses: settings that shape the run must equal the
 * checkpoint's (a diff of the keys that changed otherwise), more epochs are allowed, a fine-tuning resumed from another
 * pretrained model or onto changed training data is refused naming what changed, and a resume with no checkpoint to
 * continue from says so instead of starting over.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(3)
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
    void resumedFineTuningRefusesAnotherPretrainedModelOrChangedTrainingDataNamingWhatChanged() throws Exception {
        TestBed.spark();
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), TestBed.corpusSlice(tmp.resolve("c.txt"), 10).toString());
        Path train = labelled(tmp.resolve("train.tsv"), 40);
        Path pretrained = tmp.resolve("pretrained");
        Path copy = tmp.resolve("copy-of-pretrained");
        TestBed.writeTinyModel(fs, pretrained);
        TestBed.writeTinyModel(fs, copy);
        Path output = tmp.resolve("tuned");
        String[] base = {"finetune", "--config", config.toString(), "--output", output.toString(), "--set",
                "data.trainPath=" + train, "--set", "data.format=tsv", "--set", "training.epochs=1"};
        assertEquals(0, TestBed.cli(concat(base, "--model", pretrained.toString())).exitCode());

        otherWeights(fs, pretrained);
        TestBed.CliRun otherModel = TestBed.cli(concat(base, "--resume", "--model", pretrained.toString()));

        assertEquals(2, otherModel.exitCode(), otherModel.stderr());
        assertTrue(otherModel.stderr().matches("(?s).*\\n  pretrained\\.sha256: [0-9a-f]{64} in the checkpoint, [0-9a-f]{64} now\\n.*"),
                otherModel.stderr());
        assertFalse(otherModel.stderr().contains("pretrained.model:"), "the path is the same: " + otherModel.stderr());

        TestBed.CliRun moved = TestBed.cli(concat(base, "--resume", "--model", copy.toString()));

        assertEquals(2, moved.exitCode(), moved.stderr());
        assertTrue(moved.stderr().contains("pretrained.model: " + qualified(fs, pretrained) + " in the checkpoint, "
                + qualified(fs, copy) + " now"), moved.stderr());
        assertFalse(moved.stderr().contains("pretrained.sha256:"), "the copy holds the same model: " + moved.stderr());

        fs.delete(hadoop(pretrained), true);
        TestBed.writeTinyModel(fs, pretrained);
        String lines = Files.readString(train);
        FileTime written = Files.getLastModifiedTime(train);
        Files.writeString(train, lines + "north\tcold wind and snow again\n");
        TestBed.CliRun changedData = TestBed.cli(concat(base, "--resume", "--model", pretrained.toString()));

        assertEquals(2, changedData.exitCode(), changedData.stderr());
        assertTrue(changedData.stderr().matches("(?s).*\\n  data\\.trainPath\\.fingerprint: listing-sha256:[0-9a-f]{64} in the"
                + " checkpoint, listing-sha256:[0-9a-f]{64} now\\n.*"), changedData.stderr());
        assertFalse(changedData.stderr().contains("pretrained."), "the model is the one it started from: " + changedData.stderr());

        Files.writeString(train, lines);
        Files.setLastModifiedTime(train, written);
        TestBed.CliRun same = TestBed.cli(concat(base, "--resume", "--model", pretrained.toString(), "--set", "training.epochs=2"));

        assertEquals(0, same.exitCode(), "the same model and data resume: " + same.stderr());
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

    /** Replaces the model at {@code dir} with one of the same shapes and other weights. */
    private static void otherWeights(FileSystem fs, Path dir) throws IOException {
        TransformerConfig config = TestBed.tinyMaskedLm(TestBed.tinyConfig(null, "model.seed=99"));
        TrainedModel other = new TrainedModel(config, new TokenizerSettings(true, true, 24), TestBed.VOCABULARY, List.of(),
                new TransformerModel(config).parametersAsFloats());
        other.save(fs, hadoop(dir), Map.of("train.loss", 1.0), new Provenance("test", "4.0.1", "1.0.0-M2.1", "17",
                "pretrain", "{}", "none", "2026-01-01T00:00:00Z"), null, true);
    }

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toString());
    }

    private static String qualified(FileSystem fs, Path p) {
        return fs.makeQualified(hadoop(p)).toString();
    }

    /** {@code n} label-TAB-text lines alternating between two labels. */
    private static Path labelled(Path file, int n) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i % 2 == 0 ? "north\tcold wind and snow " : "south\twarm sun and sand ").append("day ").append(i).append('\n');
        }
        return Files.writeString(file, out);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
