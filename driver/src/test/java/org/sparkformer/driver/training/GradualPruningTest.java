package org.sparkformer.driver.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.kernels.compress.MagnitudePruning;
import org.sparkformer.kernels.model.TransformerModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradual pruning while fine-tuning by parameter averaging on two workers. */
class GradualPruningTest {

    private static final String[] GOOD = {"good", "great", "nice", "fine"};
    private static final String[] BAD = {"bad", "awful", "poor", "sad"};

    private static Path reviews(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            boolean positive = i % 2 == 0;
            String word = (positive ? GOOD : BAD)[(i / 2) % 4];
            lines.add((positive ? "pos" : "neg") + "\tthe film was " + word + (i % 3 == 0 ? " and the plot " + word : ""));
        }
        return Files.write(dir.resolve("train.tsv"), lines);
    }

    private static SparkformerConfig config(Path train, String... more) {
        List<String> sets = new ArrayList<>(List.of("model.preset=tiny", "training.epochs=3", "training.workers=2",
                "training.batchSize=4", "training.averagingFrequency=2", "data.vocabSize=60", "data.maxLength=12",
                "model.maxLength=12", "training.lr=5e-3", "data.trainPath=" + train));
        sets.addAll(List.of(more));
        return ConfigLoader.load(List.of(), sets);
    }

    @Test
    void prunedWeightsStayExactlyZeroThroughFurtherAveragedFineTuning(@TempDir Path dir) throws Exception {
        Path train = reviews(dir);
        FineTuneResult first = new FineTuner(TestClusters.spark(), config(train, "training.pruning.sparsity=0.5"))
                .fit();
        TransformerModel pruned = first.model().build();
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(pruned, MagnitudePruning.Tensors.ENCODER);
        float[] a = first.model().params();
        assertTrue(MagnitudePruning.overallSparsity(a, segments) >= 0.5 - 1e-3,
                "pruned to half: " + MagnitudePruning.overallSparsity(a, segments));
        for (MagnitudePruning.Segment s : MagnitudePruning.segments(pruned)) {
            if (!s.name().startsWith("blocks.")) {
                assertEquals(0.0, MagnitudePruning.sparsity(a, List.of(s))[0], s.name() + " is not pruned by default");
            }
        }

        FineTuneResult second = new FineTuner(TestClusters.spark(), config(train, "training.pruning.sparsity=0.5",
                "training.pruning.endRound=1")).setPretrained(first.model()).fit();

        float[] b = second.model().params();
        assertEquals(a.length, b.length);
        long kept = 0;
        long moved = 0;
        for (MagnitudePruning.Segment s : segments) {
            if (s.name().startsWith("head.")) {
                continue;                                   // a fresh head for the second fine-tuning
            }
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                if (a[i] == 0) {
                    assertEquals(0f, b[i], s.name() + " element " + (i - s.offset()) + " was pruned and came back");
                    kept++;
                } else if (b[i] != a[i]) {
                    moved++;
                }
            }
        }
        assertTrue(kept > 1000, "zeros checked: " + kept);
        assertTrue(moved > 1000, "the unpruned weights trained on: " + moved);
        assertTrue(MagnitudePruning.overallSparsity(b, segments) >= 0.5 - 1e-3);
    }

    @Test
    void scheduleEndsAtThreeQuartersOfTheRunUnlessGiven() {
        org.sparkformer.driver.config.Pruning pruning = new org.sparkformer.driver.config.Pruning(0.9,
                MagnitudePruning.Tensors.ENCODER, MagnitudePruning.Scope.GLOBAL, 1, 0, 1);
        assertEquals(30, pruning.endRoundOf(40));
        assertEquals(1, pruning.endRoundOf(1));
        assertEquals(5, new org.sparkformer.driver.config.Pruning(0.9,
                MagnitudePruning.Tensors.ALL, MagnitudePruning.Scope.LAYER, 2, 5, 1).endRoundOf(40));
        assertEquals("training.pruning.sparsity must be in [0, 1), got 1.0", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new org.sparkformer.driver.config.Pruning(1.0,
                        MagnitudePruning.Tensors.ENCODER, MagnitudePruning.Scope.GLOBAL, 1, 0, 1)).getMessage());
    }
}
