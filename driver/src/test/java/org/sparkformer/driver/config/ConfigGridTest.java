package org.sparkformer.driver.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigGridTest {

    @Test
    void pointsAreEveryCombinationTheFirstKeyVaryingSlowest() {
        ConfigGrid grid = ConfigGrid.parse("training.lr: [1.0e-4, 1.0e-3]\nmodel:\n  layers: [2, 4]\n  pooling: mean\n",
                "grid.yaml");
        assertEquals(List.of("training.lr", "model.layers", "model.pooling"), grid.keys());
        assertEquals(List.of(
                List.of("training.lr=1.0E-4", "model.layers=2", "model.pooling=mean"),
                List.of("training.lr=1.0E-4", "model.layers=4", "model.pooling=mean"),
                List.of("training.lr=0.001", "model.layers=2", "model.pooling=mean"),
                List.of("training.lr=0.001", "model.layers=4", "model.pooling=mean")), grid.points());
    }

    @Test
    void everyPointBecomesAWholeCheckedConfiguration() {
        ConfigGrid grid = ConfigGrid.parse("training.lr: [1.0e-4, 1.0e-3]\n", "grid.yaml");
        String base = ConfigYaml.toYaml(SparkformerConfig.defaults());
        List<SparkformerConfig> configs = grid.configs(base);
        assertEquals(List.of(1.0e-4, 1.0e-3), configs.stream().map(c -> c.training().lr()).toList());
        assertEquals(SparkformerConfig.defaults().model(), configs.get(0).model());

        ConfigException bad = assertThrows(ConfigException.class,
                () -> ConfigGrid.parse("model.heads: [3]\n", "grid.yaml").configs(base));
        assertTrue(bad.getMessage().startsWith("grid.yaml: the point model.heads=3: "), bad.getMessage());
    }

    @Test
    void anUnknownKeyIsNamedWithTheNearestKnownOne() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigGrid.parse("training:\n  lrr: [1.0e-4]\n", "grid.yaml"));
        assertEquals("unknown key training.lrr in grid.yaml (did you mean training.lr?)", e.getMessage());
    }

    @Test
    void emptyAndMalformedGridsAreRefused() {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigGrid.parse("", "g.yaml")).getMessage()
                .startsWith("g.yaml: a grid maps configuration keys"));
        assertEquals("g.yaml: training.lr has an empty list of values",
                assertThrows(ConfigException.class, () -> ConfigGrid.parse("training.lr: []\n", "g.yaml")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> ConfigGrid.parse("training.lr: [[1]]\n", "g.yaml"))
                .getMessage().startsWith("g.yaml: training.lr takes scalar values"));
    }
}
