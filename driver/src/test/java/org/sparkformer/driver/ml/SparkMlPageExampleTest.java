package org.sparkformer.driver.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example of docs/spark-ml.md, line for line between the markers, so the documented code compiles and runs.
 * The grid search it shows is built here; {@link SparkformerClassifierTest} fits that same kind of search.
 */
class SparkMlPageExampleTest {

    private static final Path ROOT = Path.of(System.getProperty("sparkformer.repo.root", "..")).toAbsolutePath().normalize();
    private static final String BEGIN = "// docs/spark-ml.md begin";
    private static final String END = "// docs/spark-ml.md end";

    @Test
    void thePageShowsTheCodeBetweenTheMarkers() throws IOException {
        List<String> page = Files.readAllLines(ROOT.resolve("docs/spark-ml.md"));
        int fence = page.indexOf("```java");
        assertTrue(fence >= 0, "docs/spark-ml.md has no java example");
        int end = fence + 1;
        while (end < page.size() && !page.get(end).equals("```")) {
            end++;
        }
        List<String> shown = page.subList(fence + 1, end);
        List<String> source = Files.readAllLines(
                ROOT.resolve("driver/src/test/java/org/sparkformer/driver/ml/SparkMlPageExampleTest.java"));
        List<String> tested = source.subList(source.indexOf("        " + BEGIN) + 1, source.indexOf("        " + END));
        assertEquals(tested.stream().map(String::strip).toList(), shown.stream().map(String::strip).toList(),
                "the first java block of docs/spark-ml.md differs from the code this test runs");
    }

    @TempDir
    Path dir;

    @Test
    void theExampleFitsScoresSavesAndLoads() throws IOException {
        SparkSession spark = TestClusters.spark();
        Dataset<Row> train = ToyReviews.dataFrame(spark, 60, 0);
        Dataset<Row> test = ToyReviews.dataFrame(spark, 20, 60);
        String modelPath = dir.resolve("reviews-model").toString();

        // docs/spark-ml.md begin
        SparkformerClassifier classifier = new SparkformerClassifier()
                .setTextCol("text").setLabelCol("label")           // string or numeric labels
                .setPreset("tiny").setEpochs(2).setBatchSize(8).setWorkers(2);
        SparkformerClassificationModel model = classifier.fit(train);
        Dataset<Row> scored = model.transform(test);               // + probability, prediction, predictedLabel
        model.write().overwrite().save(modelPath);                  // Spark ML metadata + a model directory
        SparkformerClassificationModel same = SparkformerClassificationModel.load(modelPath);

        // grid search: index the labels so that label and prediction compare as doubles
        StringIndexer indexer = new StringIndexer().setInputCol("label").setOutputCol("labelIndex");
        SparkformerClassifier tuned = new SparkformerClassifier().setLabelCol("labelIndex").setPreset("tiny");
        CrossValidator search = new CrossValidator()
                .setEstimator(new Pipeline().setStages(new PipelineStage[]{indexer, tuned}))
                .setEstimatorParamMaps(new ParamGridBuilder().addGrid(tuned.learningRate(), new double[]{1e-3, 1e-2}).build())
                .setEvaluator(new MulticlassClassificationEvaluator().setLabelCol("labelIndex").setMetricName("accuracy"))
                .setNumFolds(3);
        // docs/spark-ml.md end

        assertEquals(List.of("id", "text", "label", "probability", "prediction", "predictedLabel"),
                Arrays.asList(scored.columns()));
        assertEquals(20, scored.count());
        assertEquals(scored.collectAsList(), same.transform(test).collectAsList());
        assertEquals(2, search.getEstimatorParamMaps().length);
        assertTrue(search.getEstimator() instanceof Pipeline);
    }
}
