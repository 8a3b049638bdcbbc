package org.sparkformer.driver.ml;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.driver.TestClusters;
import org.sparkformer.driver.compression.CompressedModel;
import org.sparkformer.driver.config.SparkformerConfig;
import org.sparkformer.driver.modeldir.Provenance;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.compress.WeightFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark ML classifier on a separable toy task with the tiny preset: fitting, transforming, Pipelines,
 * CrossValidator, parameters, bad input and saving.
 */
class SparkformerClassifierTest {

    private static final List<String> OUTPUTS = List.of("probability", "prediction", "predictedLabel");

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static SparkformerClassifier classifier;
    private static SparkformerClassificationModel model;

    @BeforeAll
    static void fitOnce() {
        spark = TestClusters.spark();
        train = ToyReviews.dataFrame(spark, 60, 0);
        test = ToyReviews.dataFrame(spark, 20, 60);
        classifier = toyClassifier().setEpochs(4).setLearningRate(1e-2);
        model = classifier.fit(train);
    }

    /** Tiny and fast: the settings every fit here shares. */
    private static SparkformerClassifier toyClassifier() {
        return new SparkformerClassifier().setPreset("tiny").setMaxLength(16).setVocabSize(120).setBatchSize(8)
                .setWorkers(2).setAveragingFrequency(2).setSeed(7);
    }

    @Test
    void transformKeepsEveryRowAndInputColumnAndAddsPredictionColumns() {
        Dataset<Row> scored = model.transform(test);

        List<String> columns = Arrays.asList(scored.columns());
        assertEquals(List.of("id", "text", "label", "probability", "prediction", "predictedLabel"), columns);
        assertEquals(test.count(), scored.count());
        assertEquals(List.of("neg", "pos"), model.labels());
        assertSame(classifier, model.parent());
        long correct = 0;
        for (Row r : scored.collectAsList()) {
            Vector p = r.getAs("probability");
            assertEquals(2, p.size());
            assertEquals(1.0, p.apply(0) + p.apply(1), 1e-9);
            String predicted = r.getAs("predictedLabel");
            assertEquals(model.labels().indexOf(predicted), (double) r.getAs("prediction"));
            assertEquals(p.argmax(), model.labels().indexOf(predicted));
            correct += predicted.equals(r.getAs("label")) ? 1 : 0;
        }
        double accuracy = correct / (double) test.count();
        System.out.printf("toy test accuracy %.2f, train loss %s%n", accuracy, model.trainingMetrics().get("train.loss"));
        assertTrue(accuracy >= 0.8, "accuracy on the separable toy task " + accuracy);
    }

    @Test
    void emptyOutputColumnNameLeavesThatColumnOut() {
        SparkformerClassificationModel onlyLabels = model.copy(ParamMap.empty()).setProbabilityCol("").setPredictionCol("");

        Dataset<Row> scored = onlyLabels.transform(test);

        assertEquals(List.of("id", "text", "label", "predictedLabel"), Arrays.asList(scored.columns()));
        assertEquals(model.transform(test).select("predictedLabel").collectAsList(),
                scored.select("predictedLabel").collectAsList());
    }

    @Test
    void savedAndLoadedModelGivesIdenticalProbabilities() throws IOException {
        String path = dir.resolve("model").toString();
        model.write().save(path);

        SparkformerClassificationModel loaded = SparkformerClassificationModel.load(path);

        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.labels(), loaded.labels());
        assertEquals(model.getBatchSize(), loaded.getBatchSize());
        assertEquals(probabilities(model.transform(test)), probabilities(loaded.transform(test)));
        assertTrue(Files.isRegularFile(Path.of(path, "model", "model.safetensors")));
        assertTrue(Files.isRegularFile(Path.of(path, "metadata", "part-00000")));
    }

    @Test
    void int8ModelLoadsAsAStageAndFineTuningStartsFromIt() throws IOException {
        String path = dir.resolve("model-int8").toString();
        model.write().save(path);
        org.apache.hadoop.fs.Path modelDir = new org.apache.hadoop.fs.Path(path, "model");
        FileSystem fs = modelDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        CompressedModel.stored(TrainedModel.load(fs, modelDir), WeightFormat.INT8)
                .save(fs, modelDir, Map.of(), Provenance.now("compress", "{}", "none"), true);

        SparkformerClassificationModel loaded = SparkformerClassificationModel.load(path);
        List<Row> dense = model.transform(test).select("probability").collectAsList();
        List<Row> int8 = loaded.transform(test).select("probability").collectAsList();
        for (int i = 0; i < dense.size(); i++) {
            Vector d = dense.get(i).getAs(0);
            Vector q = int8.get(i).getAs(0);
            assertEquals(d.apply(0), q.apply(0), 0.02, "row " + i);
        }
        SparkformerClassificationModel tuned = toyClassifier().setEpochs(1).setPretrainedModelPath(modelDir.toString())
                .fit(train);
        assertEquals(List.of("neg", "pos"), tuned.labels());
    }

    @Test
    void savingOverAnExistingModelNeedsOverwrite() throws IOException {
        String path = dir.resolve("model-twice").toString();
        model.write().save(path);

        IOException refused = assertThrows(IOException.class, () -> model.write().save(path));
        assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
        model.copy(ParamMap.empty()).setBatchSize(3).write().overwrite().save(path);
        assertEquals(3, SparkformerClassificationModel.load(path).getBatchSize());
    }

    @Test
    void loadingAnotherStageTypeIsRefusedWithoutLoadingIt() throws IOException {
        String path = dir.resolve("classifier-not-model").toString();
        classifier.write().save(path);

        Exception e = assertThrows(RuntimeException.class, () -> SparkformerClassificationModel.load(path));
        assertTrue(e.getMessage().contains("expected a " + SparkformerClassificationModel.class.getName()), e.getMessage());
    }

    @Test
    void classifierSavedAndLoadedKeepsItsParameters() throws IOException {
        String path = dir.resolve("classifier").toString();
        SparkformerClassifier original = toyClassifier().setPretrainedModelPath("/models/encoder").setTextCol("review");
        original.write().save(path);

        SparkformerClassifier loaded = SparkformerClassifier.load(path);

        assertEquals(original.uid(), loaded.uid());
        assertEquals(original.extractParamMap().toString(), loaded.extractParamMap().toString());
        assertEquals("/models/encoder", loaded.getPretrainedModelPath());
        assertEquals(null, loaded.getConfigPath());
    }

    @Test
    void pipelineModelSavedAndLoadedGivesIdenticalPredictions() throws IOException {
        SQLTransformer lowercase = new SQLTransformer().setStatement("SELECT *, lower(text) AS clean FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{lowercase,
                toyClassifier().setEpochs(1).setTextCol("clean")});
        PipelineModel fitted = pipeline.fit(train);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);

        PipelineModel loaded = PipelineModel.load(path);

        assertEquals(2, loaded.stages().length);
        assertTrue(loaded.stages()[1] instanceof SparkformerClassificationModel);
        assertEquals(fitted.transform(test).collectAsList(), loaded.transform(test).collectAsList());
    }

    @Test
    void crossValidatorPicksTheBetterOfTwoLearningRates() {
        StringIndexer indexer = new StringIndexer().setInputCol("label").setOutputCol("labelIndex");
        SparkformerClassifier tuned = toyClassifier().setEpochs(2).setLabelCol("labelIndex");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{indexer, tuned});
        ParamMap[] grid = new ParamGridBuilder().addGrid(tuned.learningRate(), new double[]{1e-4, 1e-2}).build();
        CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setNumFolds(2)
                .setSeed(11).setEvaluator(new MulticlassClassificationEvaluator().setLabelCol("labelIndex")
                        .setPredictionCol("prediction").setMetricName("accuracy"));

        CrossValidatorModel best = cv.fit(train);

        double[] metrics = best.avgMetrics();
        System.out.printf("cross-validated accuracy: lr 1e-4 %.3f, lr 1e-2 %.3f%n", metrics[0], metrics[1]);
        assertEquals(2, metrics.length);
        SparkformerClassificationModel chosen = (SparkformerClassificationModel) ((PipelineModel) best.bestModel()).stages()[1];
        double chosenRate = ((SparkformerClassifier) chosen.parent()).getLearningRate();
        assertEquals(metrics[0] >= metrics[1] ? 1e-4 : 1e-2, chosenRate);
        List<Row> predictions = best.transform(test).select("prediction").collectAsList();
        predictions.forEach(r -> assertTrue(r.getDouble(0) == 0.0 || r.getDouble(0) == 1.0, "prediction " + r));
    }

    @Test
    void stageDefaultsAreTheConfigurationDefaults() {
        SparkformerConfig defaults = SparkformerConfig.defaults();
        SparkformerClassifier fresh = new SparkformerClassifier();

        assertEquals(defaults.training().epochs(), fresh.getEpochs());
        assertEquals(defaults.training().lr(), fresh.getLearningRate());
        assertEquals(defaults.training().batchSize(), fresh.getBatchSize());
        assertEquals(defaults.training().workers(), fresh.getWorkers());
        assertEquals(defaults.training().averagingFrequency(), fresh.getAveragingFrequency());
        assertEquals(defaults.training().seed(), fresh.getSeed());
        assertEquals(defaults.data().maxLength(), fresh.getMaxLength());
        assertEquals(defaults.data().vocabSize(), fresh.getVocabSize());
        assertEquals(defaults.model().preset(), fresh.getPreset());
        assertEquals(defaults, fresh.toConfig());
        assertEquals(defaults.training().batchSize(), model.getDefault(model.batchSize()).get());
        for (ScoringParams stage : List.<ScoringParams>of(fresh, model)) {
            assertEquals(List.of("text", "prediction", "predictedLabel", "probability"), List.of(stage.getTextCol(),
                    stage.getPredictionCol(), stage.getPredictedLabelCol(), stage.getProbabilityCol()));
        }
        assertEquals(List.of("tiny", "small", "base"), ClassifierParams.PRESETS);
    }

    @Test
    void explainParamsListsEveryParameterWithItsDocumentation() {
        String explained = new SparkformerClassifier().setEpochs(5).explainParams();

        for (String name : List.of("textCol", "labelCol", "predictionCol", "predictedLabelCol", "probabilityCol", "epochs",
                "learningRate", "batchSize", "workers", "averagingFrequency", "maxLength", "vocabSize", "preset", "seed",
                "pretrainedModelPath", "configPath")) {
            assertTrue(explained.contains(name + ": "), name + " missing from\n" + explained);
        }
        assertTrue(explained.contains("epochs: passes over the training data (>= 1) (default: 3, current: 5)"), explained);
        assertTrue(explained.contains("preset: encoder size when no pretrained model is given"), explained);
    }

    @Test
    void parametersSetOnTheStageOverrideTheConfigurationFile() throws IOException {
        Path yaml = dir.resolve("base.yaml");
        Files.writeString(yaml, "training:\n  epochs: 7\n  lr: 0.005\nmodel:\n  preset: tiny\n");

        SparkformerConfig config = new SparkformerClassifier().setConfigPath(yaml.toString()).setLearningRate(0.02)
                .setMaxLength(24).setSeed(99).toConfig();

        assertEquals(7, config.training().epochs(), "unset: the file's value");
        assertEquals(0.02, config.training().lr(), "set: the stage's value");
        assertEquals("tiny", config.model().preset());
        assertEquals(24, config.data().maxLength());
        assertEquals(24, config.model().maxLength());
        assertEquals(99, config.training().seed());
        assertEquals(99, config.model().seed());
    }

    @Test
    void invalidParameterValuesAreRefusedWhenSet() {
        assertThrows(IllegalArgumentException.class, () -> new SparkformerClassifier().setEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> new SparkformerClassifier().setPreset("huge"));
        assertThrows(IllegalArgumentException.class, () -> new SparkformerClassifier().setLearningRate(-1));
    }

    @Test
    void missingTextColumnIsNamedInTheError() {
        Dataset<Row> noText = train.withColumnRenamed("text", "body");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> toyClassifier().fit(noText));

        assertTrue(e.getMessage().contains("text column 'text' is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("body"), "lists the columns there are: " + e.getMessage());
        IllegalArgumentException onModel = assertThrows(IllegalArgumentException.class, () -> model.transform(noText));
        assertTrue(onModel.getMessage().contains("text column 'text' is missing"), onModel.getMessage());
    }

    @Test
    void wrongColumnTypesAreNamedInTheError() {
        Dataset<Row> numericText = train.withColumn("text", train.col("id"));
        Dataset<Row> arrayLabel = train.withColumn("label", org.apache.spark.sql.functions.array(train.col("label")));

        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> toyClassifier().fit(numericText));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> toyClassifier().fit(arrayLabel));

        assertTrue(text.getMessage().contains("text column 'text' must be a string column, got bigint"), text.getMessage());
        assertTrue(label.getMessage().contains("label column 'label' must be a string or numeric column, got array<string>"),
                label.getMessage());
        assertEquals(DataTypes.LongType, numericText.schema().apply("text").dataType());
    }

    @Test
    void singleLabelIsRefusedNamingTheLabelColumn() {
        Dataset<Row> positiveOnly = train.filter("label = 'pos'");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> toyClassifier().fit(positiveOnly));

        assertTrue(e.getMessage().contains("label column 'label' holds 1 distinct label(s) [pos]"), e.getMessage());
    }

    @Test
    void outputColumnClashingWithAnInputColumnIsRefused() {
        Dataset<Row> clash = test.withColumn("prediction", test.col("id"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.transform(clash));

        assertTrue(e.getMessage().contains("output column 'prediction' already exists"), e.getMessage());
    }

    /** id -> probability vector, in id order. */
    private static List<String> probabilities(Dataset<Row> scored) {
        return scored.collectAsList().stream().sorted(java.util.Comparator.comparingLong(r -> r.getAs("id")))
                .map(r -> r.getAs("id") + "=" + Arrays.toString(((Vector) r.getAs("probability")).toArray())).toList();
    }
}
