package org.sparkformer.driver.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.SparkformerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FineTunerBaselinesTest {

    @Test
    void fineTuningScoresTheBaselinesOfTheTrainingSplitOnTheValidationSplit(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("train.tsv"), "pos\tgood fine\npos\tgood\nneg\tbad\n");
        Path dev = Files.writeString(dir.resolve("dev.tsv"), "pos\tgood\nneg\tbad\nneg\tfine\n");
        SparkformerConfig config = ConfigLoader.load(List.of(), List.of("model.preset=tiny", "training.epochs=1",
                "training.workers=1", "data.vocabSize=40", "data.maxLength=8", "model.maxLength=8",
                "data.trainPath=" + train, "data.validationPath=" + dev));

        Map<String, Double> metrics = new FineTuner(TestClusters.spark(), config).fit().metrics();

        // naive Bayes (V = 3; pos: good 2, fine 1; neg: bad 1) labels good pos, bad neg, fine pos: 2 of 3
        assertEquals(2.0 / 3, metrics.get("validation.baseline.naiveBayes.accuracy"), 1e-12, metrics.toString());
        assertEquals(1.0 / 3, metrics.get("validation.baseline.majority.accuracy"), 1e-12, metrics.toString());
        assertTrue(metrics.containsKey("validation.accuracy"), metrics.toString());
    }
}
