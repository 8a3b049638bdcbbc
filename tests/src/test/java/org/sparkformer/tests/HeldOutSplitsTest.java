package org.sparkformer.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.checkpoint.CheckpointSettings;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.SparkformerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fine-tuning reads and checks every labelled split before its first round: a bad record in the validation or test
 * split fails the job at once, not at the first validation; a label only the held-out data has is counted and
 * reported, not fatal.
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(2)
class HeldOutSplitsTest {

    @TempDir
    Path tmp;

    @Test
    void aLabelOnlyTheValidationAndTestSplitsHaveIsCountedAndReportedNotFatal() throws Exception {
        Path train = labelled(tmp.resolve("train.tsv"), 40, "north", "south");
        Path validation = labelled(tmp.resolve("dev.tsv"), 6, "north", "south");
        Files.writeString(validation, "east\tsmall houses by the river\n", java.nio.file.StandardOpenOption.APPEND);
        Path test = labelled(tmp.resolve("test.tsv"), 4, "north", "south");
        Files.writeString(test, "east\tbig hills\neast\tfar hills\n", java.nio.file.StandardOpenOption.APPEND);

        FineTuneResult result = new FineTuner(TestBed.spark(), config(train, validation, test)).fit();

        assertEquals(1.0, result.metrics().get("validation.unknownLabels"), result.metrics().toString());
        assertEquals(2.0, result.metrics().get("test.unknownLabels"), result.metrics().toString());
        assertEquals(List.of("north", "south"), result.model().labels());
    }

    @Test
    void aBadRecordInTheTestSplitFailsTheJobBeforeTheFirstRound() throws Exception {
        Path train = labelled(tmp.resolve("train.tsv"), 40, "north", "south");
        Path test = Files.writeString(tmp.resolve("test.tsv"), "north\tfine line\nno tab on this line\n");
        Path checkpoints = tmp.resolve("checkpoints");

        Exception e = assertThrows(Exception.class, () -> new FineTuner(TestBed.spark(), config(train, null, test))
                .setCheckpoints(new CheckpointSettings(localFs(), new org.apache.hadoop.fs.Path(checkpoints.toUri()), false))
                .fit());

        assertTrue(String.valueOf(messages(e)).contains("test.tsv:2"), messages(e).toString());
        assertFalse(Files.exists(checkpoints) && Files.list(checkpoints).findAny().isPresent(), "no round ran");
    }

    private static SparkformerConfig config(Path train, Path validation, Path test) {
        List<String> sets = new ArrayList<>(List.of("data.trainPath=" + train, "data.testPath=" + test,
                "data.format=tsv", "training.epochs=1", "model.preset=tiny"));
        if (validation != null) {
            sets.add("data.validationPath=" + validation);
        }
        return TestBed.tinyConfig(null, sets.toArray(String[]::new));
    }

    /** {@code n} label-TAB-text lines alternating between the two labels. */
    private static Path labelled(Path file, int n, String a, String b) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i % 2 == 0 ? a : b).append('\t').append(i % 2 == 0 ? "cold wind and snow " : "warm sun and sand ")
                    .append("day ").append(i).append('\n');
        }
        return Files.writeString(file, out);
    }

    private static List<String> messages(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.add(String.valueOf(t.getMessage()));
        }
        return out;
    }

    private static org.apache.hadoop.fs.FileSystem localFs() throws IOException {
        return org.apache.hadoop.fs.FileSystem.getLocal(TestBed.localConf());
    }
}
