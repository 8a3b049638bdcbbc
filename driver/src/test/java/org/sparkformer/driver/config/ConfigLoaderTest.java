package org.sparkformer.driver.config;

import org.junit.jupiter.api.Test;
import org.sparkformer.data.batch.MaskingPolicy;
import org.sparkformer.driver.training.KernelSettings;
import org.sparkformer.kernels.compress.MagnitudePruning;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final Path CONF = Path.of(System.getProperty("sparkformer.repo.root", ".."), "conf");

    private static ConfigLoader.Loaded load(String yaml, String... overrides) {
        return new ConfigLoader().add(new ConfigLoader.Source("conf/x.yaml", yaml)).set(List.of(overrides)).build();
    }

    private static String error(String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> load(yaml, overrides)).getMessage();
    }

    @Test
    void emptyFileGivesTheDefaults() {
        assertEquals(SparkformerConfig.defaults(), load("").config());
    }

    @Test
    void defaultYamlDocumentsEveryKeyWithItsDefaultValue() throws Exception {
        String text = Files.readString(CONF.resolve("default.yaml"));
        assertEquals(SparkformerConfig.defaults(), load(text).config());
        ConfigLoader.Loaded loaded = load(text);
        for (String key : ConfigSchema.leaves().keySet()) {
            assertTrue(loaded.origins().get(key).startsWith("conf/x.yaml line "), key + " is not in conf/default.yaml");
        }
        for (String line : text.lines().toList()) {
            if (line.matches("\\s+\\w+: .*")) {
                assertTrue(line.contains("#"), "undocumented key in conf/default.yaml: " + line.trim());
            }
        }
    }

    @Test
    void defaultYamlShapeIsItsPresetsAndItsNotesGiveEachPresetsValues() throws Exception {
        String text = Files.readString(CONF.resolve("default.yaml"));
        ModelSection own = load(text, "model.preset=custom").config().model();
        ModelSection preset = SparkformerConfig.defaults().model();
        assertEquals(List.of(preset.dModel(), preset.layers(), preset.heads(), preset.dFf()),
                List.of(own.dModel(), own.layers(), own.heads(), own.dFf()), "model.preset " + preset.preset());
        Matcher notes = Pattern.compile("(?m)^\\s+(\\w+): .*\\(tiny (\\d+), small (\\d+), base (\\d+)\\)").matcher(text);
        Set<String> noted = new java.util.HashSet<>();
        while (notes.find()) {
            String key = notes.group(1);
            noted.add(key);
            assertEquals(List.of(ModelSection.PRESET_SHAPES.get("tiny").get(key), ModelSection.PRESET_SHAPES.get("small").get(key),
                    ModelSection.PRESET_SHAPES.get("base").get(key)), List.of(Integer.valueOf(notes.group(2)),
                    Integer.valueOf(notes.group(3)), Integer.valueOf(notes.group(4))), "the presets' " + key + " in conf/default.yaml");
        }
        assertEquals(ModelSection.PRESET_SHAPES.get("small").keySet(), noted);
        Matcher initStd = Pattern.compile("\\((\\d\\.\\d+) for d(\\d+)\\)").matcher(text);
        assertTrue(initStd.find(), "conf/default.yaml gives model.initStd's value for one width");
        assertEquals(initStd.group(1), String.format(Locale.ROOT, "%.3f",
                TransformerConfig.defaultInitStd(Integer.parseInt(initStd.group(2)))));
    }

    /** The worker kernels cannot read conf/default.yaml: the values they hold for themselves are held to it here. */
    @Test
    void kernelPresetsAreTheModelsUsersGetFromModelPreset() {
        Map<String, IntFunction<TransformerConfig>> kernelPresets = Map.of(
                "tiny", TransformerConfig::tiny, "small", TransformerConfig::small, "base", TransformerConfig::base);
        kernelPresets.forEach((name, preset) -> {
            TransformerConfig users = KernelSettings.model(load("", "model.preset=" + name).config().model(), 8000,
                    Task.MASKED_LM, 0);
            TransformerConfig kernels = preset.apply(8000);
            assertEquals(users, kernels.toBuilder().maxLength(users.maxLength()).build(), "preset " + name);
        });
        assertEquals(128, TransformerConfig.small(8000).maxLength());
        assertEquals(128, TransformerConfig.base(8000).maxLength());
    }

    @Test
    void kernelOptimizerDefaultsAreTheTrainingDefaults() {
        OptimizerConfig kernels = OptimizerConfig.defaults();
        assertEquals(kernels, KernelSettings.optimizer(SparkformerConfig.defaults().training(), kernels.totalSteps()));
    }

    @Test
    void bertMaskingSelectsTheDefaultMaskProbability() {
        assertEquals(MaskingPolicy.bert().selectRate(), SparkformerConfig.defaults().data().maskProbability());
    }

    @Test
    void shippedExampleConfigsLoad() {
        for (String name : List.of("wordnet-lexname.yaml", "wordnet-pos.yaml", "wordnet-pretrain.yaml")) {
            SparkformerConfig c = ConfigLoader.load(List.of(CONF.resolve(name)), List.of());
            assertEquals(48, c.data().maxLength(), name);
        }
    }

    @Test
    void unsetLowercaseFollowsTheTaskAndAnExplicitValueWins() {
        assertTrue(load("").config().data().lowercaseText(), "sequence tasks lower-case");
        assertFalse(load("data:\n  task: token\n").config().data().lowercaseText(), "token tasks keep the case");
        assertTrue(load("data:\n  task: token\n  lowercase: true\n").config().data().lowercaseText());
        assertFalse(load("", "data.lowercase=false").config().data().lowercaseText());
        assertTrue(error("data:\n  lowercase: maybe\n").contains("expected true, false or null"));
    }

    @Test
    void fileValuesAndOverridesReplaceDefaultsWithTypedConversion() {
        SparkformerConfig c = load("""
                training:
                  lr: 3e-4
                  batchSize: 16
                data:
                  augmentation:
                    copies: 2
                """, "training.lr=5e-5", "training.averageOptimizerState=false", "data.vocabPath=/tmp/vocab.txt",
                "model.seed=9000000000").config();
        assertEquals(5e-5, c.training().lr());
        assertEquals(16, c.training().batchSize());
        assertEquals(false, c.training().averageOptimizerState());
        assertEquals("/tmp/vocab.txt", c.data().vocabPath());
        assertEquals(2, c.data().augmentation().copies());
        assertEquals(9_000_000_000L, c.model().seed());
        assertEquals(SparkformerConfig.defaults().training().epochs(), c.training().epochs());
    }

    @Test
    void nullOverrideClearsAnOptionalPath() {
        assertNull(load("data:\n  trainPath: a.tsv\n", "data.trainPath=null").config().data().trainPath());
    }

    @Test
    void presetFillsTheShapeAndExplicitKeysStillWin() {
        SparkformerConfig c = load("model:\n  preset: base\n  layers: 6\n").config();
        assertEquals(256, c.model().dModel());
        assertEquals(6, c.model().layers());
        assertEquals(32, load("", "model.preset=tiny").config().model().dModel());
    }

    @Test
    void unknownKeyNamesFileLineAndSuggestion() {
        assertEquals("unknown key training.lrr in conf/x.yaml line 3 (did you mean training.lr?)",
                error("training:\n  batchSize: 8\n  lrr: 0.1\n"));
        assertEquals("unknown key trainig in conf/x.yaml line 1 (did you mean training?)", error("trainig:\n  lr: 0.1\n"));
        assertEquals("unknown key training.learningRateOfDoom in --set training.learningRateOfDoom=1",
                error("", "training.learningRateOfDoom=1"));
    }

    @Test
    void wrongTypeNamesKeyFileLineAndValue() {
        assertEquals("wrong type for training.batchSize in conf/x.yaml line 2: expected an integer, got \"many\"",
                error("training:\n  batchSize: many\n"));
        assertEquals("wrong type for training.batchSize in conf/x.yaml line 2: expected an integer, got \"2.5\"",
                error("training:\n  batchSize: 2.5\n"));
        assertEquals("wrong type for model.tieEmbeddings in --set model.tieEmbeddings=maybe: expected true or false, got \"maybe\"",
                error("", "model.tieEmbeddings=maybe"));
        assertEquals("wrong type for training.lr in conf/x.yaml line 2: expected a number, got a list",
                error("training:\n  lr: [1, 2]\n"));
    }

    @Test
    void invalidValueNamesTheValuesAndWhereTheyCameFrom() {
        assertEquals("invalid configuration: model.dModel 100 is not divisible by model.heads 3"
                        + " (model.dModel from conf/x.yaml line 2; model.heads from --set model.heads=3)",
                error("model:\n  dModel: 100\n", "model.heads=3"));
        assertEquals("invalid configuration: training.optimizer must be one of [adam, adamw, sgd], got lamb"
                + " (training.optimizer from conf/x.yaml line 2)", error("training:\n  optimizer: lamb\n"));
    }

    @Test
    void effectiveConfigYamlRoundTrips() {
        SparkformerConfig c = load("model:\n  preset: small\ndata:\n  trainPath: x.tsv\n  textColumn: \"7\"\n",
                "training.epsilon=1e-6").config();
        String yaml = ConfigYaml.toYaml(c);
        assertEquals(c, load(yaml).config());
        assertTrue(yaml.contains("trainPath: x.tsv"), yaml);
    }

    @Test
    void derivedFiguresShowTheGlobalBatch() {
        SparkformerConfig c = load("", "training.batchSize=16", "training.workers=4", "training.averagingFrequency=8",
                "training.accumulationSteps=2").config();
        assertTrue(DerivedFigures.describe(c).contains(
                "global batch per round: 1,024 examples (per-worker step 32 x 4 workers x averaging frequency 8)"),
                DerivedFigures.describe(c).toString());
        assertTrue(DerivedFigures.describe(c).contains("schedule: average every 8 steps; adamw, lr 0.001, warm-up 0 steps,"
                + " linear decay"), DerivedFigures.describe(c).toString());
    }

    @Test
    void enumValuesAreParsedWhenTheConfigurationLoads() {
        SparkformerConfig c = load("model:\n  activation: relu\n  pooling: mean\n", "training.decay=cosine").config();
        assertEquals(Activation.RELU, c.model().activation());
        assertEquals(Pooling.MEAN, c.model().pooling());
        assertEquals(Decay.COSINE, c.training().decay());
        assertEquals("invalid configuration: model.positional must be one of [learned, sinusoidal], got LEARNED"
                + " (model.positional from --set model.positional=LEARNED)", error("", "model.positional=LEARNED"));
        assertEquals("wrong type for model.norm in conf/x.yaml line 2: expected one of [post, pre], got null",
                error("model:\n  norm: null\n"));
    }

    @Test
    void gradualPruningPrunesTheEncoderWeightMatricesUnlessTheTensorsAreChosen() {
        assertEquals(MagnitudePruning.Tensors.ENCODER, SparkformerConfig.defaults().training().pruning().tensors());
        assertEquals(MagnitudePruning.Tensors.ENCODER_AND_EMBEDDINGS,
                load("", "training.pruning.tensors=encoder_and_embeddings").config().training().pruning().tensors());
        assertEquals("invalid configuration: training.pruning.tensors must be one of [all, encoder,"
                        + " encoder_and_embeddings], got embeddings (training.pruning.tensors from conf/x.yaml line 3)",
                error("training:\n  pruning:\n    tensors: embeddings\n"));
    }

    @Test
    void crossSectionRuleNamesBothKeys() {
        assertEquals("invalid configuration: data.maxLength 256 exceeds model.maxLength 128"
                + " (data.maxLength from conf/x.yaml line 2; model.maxLength from default)", error("data:\n  maxLength: 256\n"));
    }

    @Test
    void originsMapRecordsDefaultsAndPreset() {
        Map<String, String> o = load("", "model.preset=base").origins();
        assertEquals("default", o.get("training.lr"));
        assertEquals("preset base", o.get("model.dModel"));
    }
}
