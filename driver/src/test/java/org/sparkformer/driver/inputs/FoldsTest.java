package org.sparkformer.driver.inputs;

import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.DataSection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldsTest {

    @TempDir
    Path dir;

    private static List<Integer> numbers(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static List<List<Integer>> heldOut(Folds<Integer> folds) {
        List<List<Integer>> all = new ArrayList<>();
        for (int f = 0; f < folds.k(); f++) {
            all.add(folds.heldOut(f).collect());
        }
        return all;
    }

    @Test
    void everyRecordIsHeldOutOnceAndFoldSizesDifferByAtMostOne() {
        Folds<Integer> folds = Folds.of(TestClusters.jsc().parallelize(numbers(23), 3), 4, 1234, "numbers");
        try {
            assertEquals(23, folds.records());
            Set<Integer> seen = new HashSet<>();
            for (int f = 0; f < 4; f++) {
                List<Integer> held = folds.heldOut(f).collect();
                List<Integer> training = folds.training(f).collect();
                assertTrue(held.size() == 5 || held.size() == 6, "fold " + f + " holds " + held.size());
                assertEquals(23, held.size() + training.size());
                assertTrue(training.stream().noneMatch(held::contains), "a training record is also held out");
                held.forEach(r -> assertTrue(seen.add(r), "record " + r + " held out twice"));
            }
            assertEquals(new HashSet<>(numbers(23)), seen);
        } finally {
            folds.unpersist();
        }
    }

    @Test
    void theSameSeedMakesTheSameFoldsOnAnyPartitioningAndAnotherSeedOthers() {
        JavaRDD<Integer> two = TestClusters.jsc().parallelize(numbers(40), 2);
        JavaRDD<Integer> five = TestClusters.jsc().parallelize(numbers(40), 5);
        Folds<Integer> a = Folds.of(two, 3, 7, "numbers");
        Folds<Integer> b = Folds.of(five, 3, 7, "numbers");
        Folds<Integer> c = Folds.of(two, 3, 8, "numbers");
        try {
            List<List<Integer>> first = heldOut(a);
            assertEquals(first, heldOut(b));
            assertNotEquals(first, heldOut(c), "another job seed draws other folds");
            assertNotEquals(numbers(40).subList(0, first.get(0).size()), first.get(0), "the folds are not file order");
        } finally {
            a.unpersist();
            b.unpersist();
            c.unpersist();
        }
    }

    @Test
    void fewerRecordsThanFoldsOrFewerThanTwoFoldsAreRefused() {
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Folds.of(TestClusters.jsc().parallelize(numbers(3), 2), 5, 1, "train.tsv"));
        assertEquals("--folds 5: train.tsv holds 3 records, fewer than the folds", tooFew.getMessage());
        assertEquals("--folds 1: cross-validation needs at least 2 folds", Folds.check(1, 100, "train.tsv"));
        assertNull(Folds.check(3, 3, "train.tsv"));
    }

    @Test
    void countingBeforeSparkStopsAtTheLimitAndLeavesSkippedRecordsOut() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(i % 4 == 3 ? "only-a-label" : "pos\tthe film number " + i);
        }
        Path train = Files.write(dir.resolve("train.tsv"), lines);
        DataSection data = ConfigLoader.load(List.of(), List.of("data.onBadRecord=skip")).data();
        assertEquals(8, SplitReader.countUpTo(data, train.toString(), TestClusters.localConf(), 100),
                "10 lines, 2 of them bad records");
        assertEquals(4, SplitReader.countUpTo(data, train.toString(), TestClusters.localConf(), 4));

        Path conll = Files.writeString(dir.resolve("train.conll"), "the\tDET\ncat\tNOUN\n\nit\tPRON\nran\tVERB\n\n");
        DataSection tagged = ConfigLoader.load(List.of(), List.of("data.format=conll", "data.task=token")).data();
        assertEquals(2, SplitReader.countUpTo(tagged, conll.toString(), TestClusters.localConf(), 100));

        Path parquet = dir.resolve("train.parquet");
        TestClusters.spark().createDataFrame(List.of(new Review("pos", "good"), new Review("neg", "bad"),
                new Review("pos", "nice")), Review.class).write().parquet(parquet.toString());
        DataSection rows = ConfigLoader.load(List.of(), List.of("data.format=parquet", "data.textColumn=text",
                "data.labelColumn=label")).data();
        assertEquals(3, SplitReader.countUpTo(rows, parquet.toString(), TestClusters.localConf(), 100),
                "the rows of the footers");
        assertEquals(2, SplitReader.countUpTo(rows, parquet.toString(), TestClusters.localConf(), 2));
    }

    /** A row of a Parquet training file. */
    public static final class Review implements java.io.Serializable {
        private String label;
        private String text;

        public Review() {
        }

        Review(String label, String text) {
            this.label = label;
            this.text = text;
        }

        public String getLabel() {
            return label;
        }

        public void setLabel(String label) {
            this.label = label;
        }

        public String getText() {
            return text;
        }

        public void setText(String text) {
            this.text = text;
        }
    }
}
