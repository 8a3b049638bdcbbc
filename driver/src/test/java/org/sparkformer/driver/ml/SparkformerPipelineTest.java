package org.sparkformer.driver.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Sparkformer stages together in one Spark ML {@code Pipeline}: the pretrainer's encoder feeding an MLlib
 * estimator through its embedding column, and a classifier fine-tuned from a pretrained encoder, saved and loaded as
 * one {@code PipelineModel} (and as one unfitted {@code Pipeline}).
 */
class SparkformerPipelineTest {

    @TempDir
    static Path dir;
    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static Pipeline pipeline;
    private static PipelineModel fitted;

    @BeforeAll
    static void fitOnce() {
        SparkSession spark = TestClusters.spark();
        train = ToyReviews.dataFrame(spark, 60, 0);
        test = ToyReviews.dataFrame(spark, 20, 60);
        SparkformerEncoderModel encoder = SparkformerPretrainerTest.toyPretrainer().setEpochs(1).fit(train);
        pipeline = new Pipeline().setStages(new PipelineStage[]{
                SparkformerPretrainerTest.toyPretrainer().setEpochs(1),
                new StringIndexer().setInputCol("label").setOutputCol("labelIndex"),
                new LogisticRegression().setFeaturesCol("embedding").setLabelCol("labelIndex").setMaxIter(20),
                new SparkformerClassifier().setPretrained(encoder).setEpochs(1).setBatchSize(8).setWorkers(2)
                        .setMaxLength(16).setSeed(7).setLabelCol("labelIndex").setPredictionCol("sparkformerPrediction")
                        .setProbabilityCol("sparkformerProbability")});
        fitted = pipeline.fit(train);
    }

    @Test
    void pipelineModelSavedAndLoadedPredictsExactlyAsBefore() throws IOException {
        String path = dir.resolve("pipeline-model").toString();
        List<Row> before = fitted.transform(test).collectAsList();
        fitted.write().save(path);

        PipelineModel loaded = PipelineModel.load(path);

        List<Class<?>> stages = Arrays.stream(loaded.stages()).map(Transformer::getClass).<Class<?>>map(c -> c).toList();
        assertEquals(List.of(SparkformerEncoderModel.class, org.apache.spark.ml.feature.StringIndexerModel.class,
                LogisticRegressionModel.class, SparkformerClassificationModel.class), stages);
        assertEquals(List.of("id", "text", "label", "embedding", "labelIndex", "rawPrediction", "probability",
                "prediction", "sparkformerProbability", "sparkformerPrediction", "predictedLabel"),
                Arrays.asList(loaded.transform(test).columns()));
        assertEquals(before, loaded.transform(test).collectAsList());
    }

    @Test
    void theEncoderFeedsAnMllibEstimatorThroughItsEmbeddingColumn() {
        LogisticRegressionModel regression = (LogisticRegressionModel) fitted.stages()[2];
        SparkformerEncoderModel encoder = (SparkformerEncoderModel) fitted.stages()[0];

        assertEquals(encoder.dimension(), regression.numFeatures());
        List<Row> scored = fitted.transform(test).select("prediction", "sparkformerPrediction").collectAsList();
        scored.forEach(r -> {
            assertTrue(r.getDouble(0) == 0.0 || r.getDouble(0) == 1.0, "prediction " + r);
            assertTrue(r.getDouble(1) == 0.0 || r.getDouble(1) == 1.0, "sparkformerPrediction " + r);
        });
    }

    @Test
    void unfittedPipelineSavedAndLoadedKeepsTheClassifierEncoder() throws IOException {
        String path = dir.resolve("pipeline").toString();
        pipeline.write().save(path);

        Pipeline loaded = Pipeline.load(path);

        SparkformerClassifier original = (SparkformerClassifier) pipeline.getStages()[3];
        SparkformerClassifier classifier = (SparkformerClassifier) loaded.getStages()[3];
        assertTrue(loaded.getStages()[0] instanceof SparkformerPretrainer);
        assertEquals(original.extractParamMap().toString(), classifier.extractParamMap().toString());
        assertArrayEquals(original.getPretrained().trainedModel().params(),
                classifier.getPretrained().trainedModel().params());
    }
}
