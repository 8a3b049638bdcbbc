package org.sparkformer.driver.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.config.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Masked-LM pretraining from a DataFrame's text: the encoder it fits embeds text into Vectors, saves and loads, and is
 * the starting point of the classifier and the tagger through {@code setPretrained}.
 */
class SparkformerPretrainerTest {

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Dataset<Row> corpus;
    private static Dataset<Row> test;
    private static SparkformerEncoderModel encoder;

    @BeforeAll
    static void pretrainOnce() {
        spark = TestClusters.spark();
        corpus = ToyReviews.dataFrame(spark, 60, 0);
        test = ToyReviews.dataFrame(spark, 12, 60);
        encoder = toyPretrainer().fit(corpus);
    }

    /** Tiny and fast: the settings every pretraining here shares. */
    static SparkformerPretrainer toyPretrainer() {
        return new SparkformerPretrainer().setPreset("tiny").setMaxLength(16).setVocabSize(120).setBatchSize(8)
                .setWorkers(2).setAveragingFrequency(2).setEpochs(2).setLearningRate(1e-2).setSeed(7);
    }

    @Test
    void embeddingColumnHoldsOneVectorOfTheModelWidthPerRow() {
        Dataset<Row> embedded = encoder.transform(test);

        assertEquals(List.of("id", "text", "label", "embedding"), Arrays.asList(embedded.columns()));
        assertEquals(32, encoder.dimension(), "the tiny preset's width");
        assertEquals(Task.MASKED_LM, encoder.trainedModel().config().task());
        List<Row> rows = embedded.collectAsList();
        assertEquals(test.count(), rows.size());
        for (Row r : rows) {
            Vector v = r.getAs("embedding");
            assertEquals(encoder.dimension(), v.size());
            assertTrue(Arrays.stream(v.toArray()).allMatch(Double::isFinite), "finite: " + v);
        }
        Vector first = rows.get(0).getAs("embedding");
        Vector second = rows.get(1).getAs("embedding");
        assertTrue(!Arrays.equals(first.toArray(), second.toArray()), "different texts, different embeddings");
        System.out.printf("pretraining: train loss %s, perplexity %s%n", encoder.trainingMetrics().get("train.loss"),
                encoder.trainingMetrics().get("train.perplexity"));
    }

    @Test
    void embeddingsAreDeterministic() {
        List<String> once = embeddings(encoder.transform(test));
        List<String> again = embeddings(encoder.transform(test));
        // the same texts in one partition and the other order: batched with other rows, the same vectors
        List<Row> a = encoder.transform(test).orderBy("id").collectAsList();
        List<Row> b = encoder.transform(test.orderBy(col("id").desc()).coalesce(1)).orderBy("id").collectAsList();

        assertEquals(once, again);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(((Vector) a.get(i).getAs("embedding")).toArray(),
                    ((Vector) b.get(i).getAs("embedding")).toArray(), 1e-5, "row " + i);
        }
    }

    @Test
    void savedAndLoadedEncoderEmbedsIdentically() throws IOException {
        String path = dir.resolve("encoder").toString();
        encoder.write().save(path);

        SparkformerEncoderModel loaded = SparkformerEncoderModel.load(path);

        assertEquals(encoder.uid(), loaded.uid());
        assertEquals(embeddings(encoder.transform(test)), embeddings(loaded.transform(test)));
    }

    @Test
    void classifierSetWithPretrainedStartsFromTheEncoderWeights() {
        SparkformerClassificationModel tuned = new SparkformerClassifier().setPretrained(encoder).setEpochs(1)
                .setLearningRate(1e-9).setBatchSize(8).setWorkers(2).setMaxLength(16).setSeed(7).fit(corpus);

        TrainedModel started = tuned.trainedModel();
        assertEquals(encoder.trainedModel().vocabulary().tokens(), started.vocabulary().tokens());
        assertEquals(encoder.dimension(), started.config().dModel());
        Map<String, INDArray> pretrained = encoder.trainedModel().build().namedParameters();
        Map<String, INDArray> fineTuned = started.build().namedParameters();
        int shared = 0;
        for (Map.Entry<String, INDArray> e : pretrained.entrySet()) {
            if (fineTuned.containsKey(e.getKey()) && !e.getKey().startsWith("head")) {
                assertArrayEquals(e.getValue().dup().ravel().toFloatVector(),
                        fineTuned.get(e.getKey()).dup().ravel().toFloatVector(), 1e-5f,
                        e.getKey() + " moved from the pretrained value");
                shared++;
            }
        }
        assertTrue(shared > 10, "encoder tensors compared: " + shared);
    }

    @Test
    void taggerSetWithPretrainedUsesTheEncoderVocabulary() {
        SparkformerTaggingModel tagger = SparkformerTaggerTest.toyTagger().setMaxLength(16).setEpochs(1)
                .setPretrained(encoder).fit(ToyTagging.dataFrame(spark, false, 1));

        assertEquals(encoder.trainedModel().vocabulary().tokens(), tagger.trainedModel().vocabulary().tokens());
        assertEquals(encoder.trainedModel().tokenizerSettings().lowercase(),
                tagger.trainedModel().tokenizerSettings().lowercase(), "the encoder's tokenizer is kept");
    }

    @Test
    void classifierHoldingAnEncoderSavesAndLoadsIt() throws IOException {
        String path = dir.resolve("classifier-with-encoder").toString();
        new SparkformerClassifier().setPretrained(encoder).setEpochs(2).write().save(path);

        SparkformerClassifier loaded = SparkformerClassifier.load(path);

        assertNotNull(loaded.getPretrained());
        assertEquals(encoder.uid(), loaded.getPretrained().uid());
        assertArrayEquals(encoder.trainedModel().params(), loaded.getPretrained().trainedModel().params());
        assertEquals(2, loaded.getEpochs());
        assertEquals(encoder, new SparkformerClassifier().setPretrained(encoder).copy(
                org.apache.spark.ml.param.ParamMap.empty()).getPretrained(), "a copy (e.g. CrossValidator's) keeps it");
    }

    @Test
    void pretrainedEncoderAndPretrainedModelPathTogetherAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkformerClassifier()
                .setPretrained(encoder).setPretrainedModelPath("/models/encoder").setEpochs(1).fit(corpus));

        assertTrue(e.getMessage().contains("both setPretrained(" + encoder.uid() + ") and pretrainedModelPath"
                + " /models/encoder are set"), e.getMessage());
    }

    @Test
    void stageDefaultsAreTheConfigurationDefaults() {
        SparkformerConfig defaults = SparkformerConfig.defaults();
        SparkformerPretrainer fresh = new SparkformerPretrainer();

        assertEquals(defaults.data().maskProbability(), fresh.getMaskProbability());
        assertEquals(defaults.training().epochs(), fresh.getEpochs());
        assertEquals(defaults.training().lr(), fresh.getLearningRate());
        assertEquals(defaults.data().vocabSize(), fresh.getVocabSize());
        assertEquals(defaults, fresh.toConfig());
        assertEquals(0.3, fresh.setMaskProbability(0.3).toConfig().data().maskProbability());
        assertEquals(List.of("text", "embedding"), List.of(fresh.getTextCol(), fresh.getEmbeddingCol()));
        assertThrows(IllegalArgumentException.class, () -> fresh.setMaskProbability(1.0));
    }

    @Test
    void missingOrMistypedTextColumnIsNamedInTheError() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> toyPretrainer().fit(corpus.withColumnRenamed("text", "body")));
        IllegalArgumentException mistyped = assertThrows(IllegalArgumentException.class,
                () -> encoder.transform(test.withColumn("text", col("id"))));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> encoder.transform(test.withColumn("embedding", col("id"))));

        assertTrue(missing.getMessage().contains("text column 'text' is missing"), missing.getMessage());
        assertTrue(missing.getMessage().contains("body"), missing.getMessage());
        assertTrue(mistyped.getMessage().contains("text column 'text' must be a string column, got bigint"),
                mistyped.getMessage());
        assertTrue(clash.getMessage().contains("output column 'embedding' already exists"), clash.getMessage());
    }

    @Test
    void nullTextNamesItsRow() {
        Dataset<Row> withNull = corpus.withColumn("text", org.apache.spark.sql.functions.when(col("id").equalTo(5),
                org.apache.spark.sql.functions.lit(null).cast("string")).otherwise(col("text")));

        Exception e = assertThrows(Exception.class, () -> toyPretrainer().setEpochs(1).fit(withNull));

        assertTrue(SparkformerTaggerTest.rootMessage(e).contains("row 6 of the training DataFrame: text column 'text'"
                + " is null"), SparkformerTaggerTest.rootMessage(e));
    }

    /** id -> embedding, in id order. */
    private static List<String> embeddings(Dataset<Row> embedded) {
        return embedded.collectAsList().stream().sorted(Comparator.comparingLong(r -> r.getAs("id")))
                .map(r -> r.getAs("id") + "=" + Arrays.toString(((Vector) r.getAs("embedding")).toArray())).toList();
    }
}
