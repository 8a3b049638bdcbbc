package org.sparkformer.tests;

import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.TrainedModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work is never lost to the output handling: {@code --overwrite} replaces an output only when the job succeeded, an
 * output that holds the job's own input is refused, and what an interrupted model write left behind is cleaned up
 * (or given back its place) by the next write.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(5)
class OutputSafetyTest {

    @TempDir
    Path tmp;

    @Test
    void overwriteOfAJobThatFailsLeavesTheEarlierOutputAsItWas() throws Exception {
        TestBed.spark();
        Path output = earlierOutput(tmp.resolve("out"));
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), TestBed.corpusSlice(tmp.resolve("c.txt"), 30).toString());

        TestBed.CliRun run = TestBed.cli("finetune", "--config", config.toString(), "--output", output.toString(),
                "--overwrite", "--model", tmp.resolve("no-such-model").toString());

        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(Files.exists(output.resolve("model/" + ModelDirectory.WEIGHTS)), "the earlier model is kept");
        assertTrue(Files.exists(output.resolve("checkpoints/round-000003/MANIFEST.json")), "the earlier checkpoints are kept");
        assertEquals("{\"records\": 7}\n", Files.readString(output.resolve("data-report.json")));
        assertEquals(0, names(output).stream().filter(n -> n.startsWith("_")).count(),
                "no staging directory is left behind: " + names(output));
    }

    @Test
    void overwriteOfAJobThatSucceedsReplacesTheEarlierOutputWhole() throws Exception {
        TestBed.spark();
        Path output = earlierOutput(tmp.resolve("out"));
        Path corpus = TestBed.corpusSlice(tmp.resolve("c.txt"), 30);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());
        Path model = tmp.resolve("model");
        TestBed.writeTinyModel(localFs(), model);

        TestBed.CliRun run = TestBed.cli("evaluate", "--config", config.toString(), "--output", output.toString(),
                "--overwrite", "--model", model.toString(), "--input", corpus.toString());

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(List.of("effective-config.yaml", "metrics.json", "report.html"), names(output), "only the new output is there");
    }

    @Test
    void predictIntoTheDirectoryThatHoldsItsModelIsRefusedAndTheModelKept() throws Exception {
        TestBed.spark();
        Path output = tmp.resolve("out");
        TestBed.writeTinyModel(localFs(), output.resolve("model"));
        Path corpus = TestBed.corpusSlice(tmp.resolve("c.txt"), 10);
        Path config = TestBed.tinyConfigFile(tmp.resolve("tiny.yaml"), corpus.toString());

        TestBed.CliRun run = TestBed.cli("predict", "--config", config.toString(), "--output", output.toString(),
                "--overwrite", "--model", output.resolve("model").toString(), "--input", corpus.toString(),
                "--set", "data.format=text");

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("holds an input of this job (--model " + output.resolve("model") + ")"), run.stderr());
        assertTrue(run.stderr().lines().count() == 1, "one line: " + run.stderr());
        TrainedModel.load(localFs(), hadoop(output.resolve("model")));
    }

    @Test
    void theNextModelWriteRemovesWhatAnInterruptedWriteLeftBeside() throws Exception {
        Path model = tmp.resolve("model");
        TestBed.writeTinyModel(localFs(), model);
        Path staging = Files.createDirectories(tmp.resolve("_tmp-model-" + UUID.randomUUID()));
        Files.writeString(staging.resolve(ModelDirectory.CONFIG), "{\"half\": ");
        Path aside = Files.createDirectories(tmp.resolve("_old-model-" + UUID.randomUUID()));
        Files.writeString(aside.resolve(ModelDirectory.CONFIG), "{}");
        Path otherModelsStaging = Files.createDirectories(tmp.resolve("_tmp-model-b-" + UUID.randomUUID()));

        TrainedModel loaded = TrainedModel.load(localFs(), hadoop(model));
        ModelDirectory.write(localFs(), hadoop(model),
                ModelDirectory.read(localFs(), hadoop(model), null), true);

        assertFalse(Files.exists(staging), "staging directory of the interrupted write removed");
        assertFalse(Files.exists(aside), "copy moved aside removed once the model is complete");
        assertTrue(Files.exists(otherModelsStaging), "another target's leftovers are not this write's business");
        assertEquals(loaded.labels(), TrainedModel.load(localFs(), hadoop(model)).labels());
    }

    @Test
    void aModelWhoseReplacementWasInterruptedGetsItsPlaceBackOnTheNextWrite() throws Exception {
        Path model = tmp.resolve("model");
        TestBed.writeTinyModel(localFs(), model);
        ModelFilesHolder files = new ModelFilesHolder(ModelDirectory.read(localFs(), hadoop(model), null));
        // the crash came after the model was moved aside, before its replacement was renamed in
        Path aside = tmp.resolve("_old-model-" + UUID.randomUUID());
        Files.move(model, aside);

        var caught = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> ModelDirectory.write(localFs(), hadoop(model), files.files, false));

        assertTrue(caught.getMessage().contains("already exists"), caught.getMessage());
        assertFalse(Files.exists(aside));
        TrainedModel.load(localFs(), hadoop(model));
    }

    private record ModelFilesHolder(org.sparkformer.driver.modeldir.ModelFiles files) {
    }

    /** An output as a finished job leaves it: a model, checkpoints, a data report. */
    private static Path earlierOutput(Path output) throws IOException {
        TestBed.writeTinyModel(localFs(), output.resolve("model"));
        Files.createDirectories(output.resolve("checkpoints/round-000003"));
        Files.writeString(output.resolve("checkpoints/round-000003/MANIFEST.json"), "{}");
        Files.writeString(output.resolve("data-report.json"), "{\"records\": 7}\n", StandardCharsets.UTF_8);
        return output;
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path("file:" + p.toAbsolutePath());
    }

    private static FileSystem localFs() throws IOException {
        return FileSystem.getLocal(TestBed.localConf());
    }
}
