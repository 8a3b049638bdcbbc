package org.sparkformer.driver.evaluation.baseline;

import org.junit.jupiter.api.Test;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.driver.TestClusters;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskBaselinesTest {

    private static TaggedSentence sentence(String... wordSlashTag) {
        List<String> words = java.util.Arrays.stream(wordSlashTag).map(w -> w.split("/")[0]).toList();
        List<String> tags = java.util.Arrays.stream(wordSlashTag).map(w -> w.split("/")[1]).toList();
        return new TaggedSentence("f", 1, words, tags);
    }

    private static LabelledText text(String text, String label) {
        return new LabelledText("f", 1, text, label);
    }

    // tags: VERB 5, NOUN 4, DET 2; "run" is VERB twice and NOUN once; "fly" once each
    private static final List<TaggedSentence> TAGGED_TRAIN = List.of(
            sentence("The/DET", "dog/NOUN", "runs/VERB"),
            sentence("Dogs/NOUN", "run/VERB"),
            sentence("the/DET", "run/NOUN", "ends/VERB"),
            sentence("run/VERB"),
            sentence("fly/VERB"),
            sentence("fly/NOUN"));

    @Test
    void mostFrequentTagTakesEachLowerCasedWordsCommonestTagAndTheMajorityTagForUnseenWords() {
        MostFrequentTag fitted = MostFrequentTag.fit(TaskBaselines.words(TestClusters.jsc().parallelize(TAGGED_TRAIN, 2)));
        assertEquals("DET", fitted.predict("the"));
        assertEquals("VERB", fitted.predict("run"));
        assertEquals("NOUN", fitted.predict("fly"), "a tie goes to the tag that sorts first");
        assertEquals("VERB", fitted.predict("flies"), "an unseen word gets the most frequent tag");
        assertEquals(7, fitted.words(), "the, dog, runs, dogs, run, ends, fly");
    }

    @Test
    void tokenBaselinesScoreEveryWordOfTheEvaluatedSplit() {
        List<TaggedSentence> test = List.of(
                sentence("The/DET", "run/NOUN", "flies/VERB", "fly/NOUN"),
                sentence("dog/VERB", "cat/NOUN"));
        BaselineReport report = TaskBaselines.token(TestClusters.jsc().parallelize(TAGGED_TRAIN, 2),
                TestClusters.jsc().parallelize(test, 2), "train", "test");
        // most-frequent tag: the, flies (unseen -> VERB), fly right; run, dog, cat wrong. Majority VERB: flies, dog.
        assertEquals(6, report.examples());
        assertEquals(3.0 / 6, report.accuracy("mostFrequentTag"), 1e-12);
        assertEquals(2.0 / 6, report.accuracy("majority"), 1e-12);
        assertEquals(List.of("mostFrequentTag", "majority"), report.scores().stream().map(BaselineReport.Score::key).toList());
        assertEquals("accuracy 0.9000 (most-frequent tag 0.5000, majority 0.3333)", report.beside("accuracy", 0.9));
    }

    // X: "a a b", "a" (words a 3, b 1); Y: "b c" (b 1, c 1); V = 3
    private static final List<LabelledText> TEXT_TRAIN = List.of(text("A a B", "X"), text("b c", "Y"), text("a", "X"));

    @Test
    void naiveBayesAddsOneToEveryWordCountAndIgnoresUnseenWords() {
        NaiveBayes fitted = NaiveBayes.fit(TaskBaselines.texts(TestClusters.jsc().parallelize(TEXT_TRAIN, 2)));
        double[] scores = fitted.scores(List.of("a", "c", "unseen"));
        assertEquals(Math.log(2.0 / 3) + Math.log(4.0 / 7) + Math.log(1.0 / 7), scores[0], 1e-12);
        assertEquals(Math.log(1.0 / 3) + Math.log(1.0 / 5) + Math.log(2.0 / 5), scores[1], 1e-12);
        assertEquals("X", fitted.predict(List.of("a", "c")));
        assertEquals("Y", fitted.predict(List.of("c")));
        assertEquals("X", fitted.predict(List.of("b")));
        assertEquals("X", fitted.predict(List.of("z")), "no known word: the prior decides");
    }

    @Test
    void naiveBayesBreaksTiesTowardsTheLabelThatSortsFirst() {
        NaiveBayes fitted = NaiveBayes.fit(TaskBaselines.texts(TestClusters.jsc().parallelize(
                List.of(text("a", "B"), text("b", "A")), 2)));
        assertEquals("A", fitted.predict(List.of("z")));
    }

    @Test
    void sequenceBaselinesAreNaiveBayesAndMajorityScoredOnTheEvaluatedTexts() {
        List<LabelledText> test = List.of(text("a c", "X"), text("C", "Y"), text("b", "X"), text("c c", "Y"), text("z", "Y"));
        BaselineReport report = TaskBaselines.sequence(TestClusters.jsc().parallelize(TEXT_TRAIN, 2),
                TestClusters.jsc().parallelize(test, 2), "train.tsv", "test.tsv");
        // naive Bayes: X, Y, X, Y, X -> 4 of 5; majority X -> 2 of 5
        assertEquals(5, report.examples());
        assertEquals(0.8, report.accuracy("naiveBayes"), 1e-12);
        assertEquals(0.4, report.accuracy("majority"), 1e-12);
        assertEquals("train.tsv", report.toJson().get("fittedOn").asText());
        assertEquals(0.8, report.toJson().get("naiveBayes").get("accuracy").asDouble(), 1e-12);
    }

    @Test
    void majorityBreaksTiesTowardsTheLabelThatSortsFirst() {
        MajorityClass<List<String>> fitted = MajorityClass.fit(TaskBaselines.texts(TestClusters.jsc().parallelize(
                List.of(text("a", "b"), text("b", "a"), text("c", "c"), text("d", "b"), text("e", "a")), 2)));
        assertEquals("a", fitted.label());
    }

    @Test
    void anOmittedReportSaysWhyInItsJsonAndLogLine() {
        BaselineReport report = BaselineReport.omitted("data.trainPath is not set");
        assertTrue(report.isOmitted());
        assertEquals("data.trainPath is not set", report.toJson().get("omitted").asText());
        assertFalse(report.toJson().has("majority"));
        assertEquals("accuracy 0.5000 (baselines omitted: data.trainPath is not set)", report.beside("accuracy", 0.5));
    }
}
