package org.sparkformer.driver.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Writes the effective configuration as YAML that {@link ConfigLoader} reads back to an equal config. */
public final class ConfigYaml {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    private ConfigYaml() {
    }

    /** Every key of {@code config}, sections in declaration order. */
    public static String toYaml(SparkformerConfig config) {
        try {
            return YAML.writeValueAsString(ConfigSchema.nest(ConfigSchema.flatten(config)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }
}
