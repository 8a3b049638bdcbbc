package org.sparkformer.driver.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.config.SparkformerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark ML token tagger on a toy task where the tag of a word depends on the word before it: fitting against a
 * most-frequent-tag baseline on held-out sentences, the output columns, saving, Pipelines and bad input.
 */
class SparkformerTaggerTest {

    @TempDir
    static Path dir;
    private static Dataset<Row> train;
    private static Dataset<Row> heldOut;
    private static SparkformerTaggingModel model;

    @BeforeAll
    static void fitOnce() {
        SparkSession spark = TestClusters.spark();
        train = ToyTagging.dataFrame(spark, false, 3);
        heldOut = ToyTagging.dataFrame(spark, true, 1);
        model = toyTagger().setEpochs(6).setLearningRate(1e-2).fit(train);
    }

    /** Tiny and fast: the settings every fit here shares. */
    static SparkformerTagger toyTagger() {
        return new SparkformerTagger().setPreset("tiny").setMaxLength(8).setVocabSize(60).setBatchSize(8)
                .setWorkers(2).setAveragingFrequency(2).setSeed(7);
    }

    @Test
    void taggerBeatsTheMostFrequentTagBaselineOnHeldOutSentences() {
        List<Row> scored = model.transform(heldOut).collectAsList();

        long right = 0;
        long words = 0;
        for (Row r : scored) {
            List<String> gold = r.getList(r.fieldIndex("tags"));
            List<String> predicted = r.getList(r.fieldIndex("predictedTags"));
            for (int i = 0; i < gold.size(); i++) {
                right += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
                words++;
            }
        }
        double accuracy = right / (double) words;
        double baseline = ToyTagging.mostFrequentTagAccuracy(train, heldOut);
        System.out.printf("held-out tagging accuracy %.3f, most-frequent-tag baseline %.3f, train loss %s%n", accuracy,
                baseline, model.trainingMetrics().get("train.loss"));
        assertEquals(0.75, baseline, 1e-9, "the baseline gets every context word and half the ambiguous words");
        assertTrue(accuracy >= baseline + 0.15, "accuracy " + accuracy + " against the baseline's " + baseline);
    }

    @Test
    void transformAddsOneTagAndOneProbabilityPerWord() {
        Dataset<Row> scored = model.transform(heldOut);

        assertEquals(List.of("id", "words", "tags", "predictedTags", "tagProbabilities"), Arrays.asList(scored.columns()));
        assertEquals(List.of("DET", "NOUN", "PRON", "VERB"), model.tags());
        assertEquals(heldOut.count(), scored.count());
        for (Row r : scored.collectAsList()) {
            List<String> predicted = r.getList(r.fieldIndex("predictedTags"));
            List<Double> probabilities = r.getList(r.fieldIndex("tagProbabilities"));
            assertEquals(2, predicted.size());
            assertEquals(2, probabilities.size());
            for (int i = 0; i < 2; i++) {
                assertTrue(model.tags().contains(predicted.get(i)), predicted.get(i));
                double p = probabilities.get(i);
                assertTrue(p >= 1.0 / model.tags().size() && p <= 1.0, "probability of the argmax tag " + p);
            }
        }
    }

    @Test
    void wordsBeyondMaxLengthGetNullTags() {
        Dataset<Row> longSentence = heldOut.limit(1).withColumn("words",
                array(lit("the"), lit("book"), lit("we"), lit("run"), lit("a"), lit("play"), lit("they"), lit("walk")));

        Row r = model.transform(longSentence).first();

        List<String> predicted = r.getList(r.fieldIndex("predictedTags"));
        List<Double> probabilities = r.getList(r.fieldIndex("tagProbabilities"));
        assertEquals(8, predicted.size(), "one entry per word");
        assertNotNull(predicted.get(5), "maxLength 8 keeps [CLS], six words and [SEP]");
        assertEquals(null, predicted.get(6));
        assertEquals(null, probabilities.get(7));
    }

    @Test
    void savedAndLoadedTaggingModelPredictsIdentically() throws IOException {
        String path = dir.resolve("tagger-model").toString();
        model.write().save(path);

        SparkformerTaggingModel loaded = SparkformerTaggingModel.load(path);

        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.tags(), loaded.tags());
        assertEquals(sorted(model.transform(heldOut)), sorted(loaded.transform(heldOut)));
        assertTrue(Files.isRegularFile(Path.of(path, "model", "model.safetensors")));
    }

    @Test
    void pipelineModelWithTheTaggerSavedAndLoadedPredictsIdentically() throws IOException {
        SQLTransformer lower = new SQLTransformer().setStatement(
                "SELECT *, transform(words, w -> lower(w)) AS lowered FROM __THIS__");
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[]{lower, toyTagger().setEpochs(1)
                .setWordsCol("lowered")}).fit(train);
        String path = dir.resolve("tagger-pipeline").toString();
        fitted.write().save(path);

        PipelineModel loaded = PipelineModel.load(path);

        assertTrue(loaded.stages()[1] instanceof SparkformerTaggingModel);
        assertEquals(fitted.transform(heldOut).collectAsList(), loaded.transform(heldOut).collectAsList());
    }

    @Test
    void taggerSavedAndLoadedKeepsItsParameters() throws IOException {
        String path = dir.resolve("tagger").toString();
        SparkformerTagger original = toyTagger().setWordsCol("tokens").setEpochs(5);
        original.write().save(path);

        SparkformerTagger loaded = SparkformerTagger.load(path);

        assertEquals(original.uid(), loaded.uid());
        assertEquals(original.extractParamMap().toString(), loaded.extractParamMap().toString());
    }

    @Test
    void stageDefaultsAreTheConfigurationDefaultsAndTheTaskIsToken() {
        SparkformerConfig defaults = SparkformerConfig.defaults();
        SparkformerTagger fresh = new SparkformerTagger();

        assertEquals(defaults.training().epochs(), fresh.getEpochs());
        assertEquals(defaults.training().lr(), fresh.getLearningRate());
        assertEquals(defaults.training().batchSize(), fresh.getBatchSize());
        assertEquals(defaults.data().maxLength(), fresh.getMaxLength());
        assertEquals(defaults.model().preset(), fresh.getPreset());
        assertEquals(defaults.training().seed(), fresh.getSeed());
        assertEquals("token", fresh.toConfig().data().task());
        assertEquals(List.of("words", "tags", "predictedTags", "tagProbabilities"), List.of(fresh.getWordsCol(),
                fresh.getTagsCol(), fresh.getPredictedTagsCol(), fresh.getTagProbabilitiesCol()));
    }

    @Test
    void missingOrMistypedColumnsAreNamedInTheError() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> toyTagger().fit(train.withColumnRenamed("words", "tokens")));
        IllegalArgumentException notArray = assertThrows(IllegalArgumentException.class,
                () -> toyTagger().fit(train.withColumn("tags", col("id").cast("string"))));
        IllegalArgumentException onModel = assertThrows(IllegalArgumentException.class,
                () -> model.transform(heldOut.withColumn("words", col("id"))));

        assertTrue(missing.getMessage().contains("words column 'words' is missing"), missing.getMessage());
        assertTrue(missing.getMessage().contains("tokens"), "lists the columns there are: " + missing.getMessage());
        assertTrue(notArray.getMessage().contains("tags column 'tags' must be an array<string> column, got string"),
                notArray.getMessage());
        assertTrue(onModel.getMessage().contains("words column 'words' must be an array<string> column, got bigint"),
                onModel.getMessage());
    }

    @Test
    void tagsNotAsManyAsTheWordsNameTheRow() {
        Dataset<Row> short1 = train.withColumn("tags", array(lit("DET")));

        Exception e = assertThrows(Exception.class, () -> toyTagger().setEpochs(1).fit(short1));

        assertTrue(rootMessage(e).matches("row \\d+ of the training DataFrame: tags column 'tags' holds 1 tags for the 2"
                + " words of column 'words'"), rootMessage(e));
    }

    /** The message of the innermost cause (Spark wraps a task's exception). */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static List<String> sorted(Dataset<Row> scored) {
        return scored.collectAsList().stream().sorted(Comparator.comparingLong(r -> r.getAs("id"))).map(Row::toString)
                .toList();
    }
}
