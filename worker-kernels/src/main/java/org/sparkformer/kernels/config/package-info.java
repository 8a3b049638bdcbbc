/**
 * Model configuration: the {@link org.sparkformer.kernels.config.TransformerConfig} record with its presets,
 * the enums that choose architecture variants and tasks, and the strict JSON mapping shared by all
 * configuration records (missing keys take defaults, unknown keys are rejected by name).
 */
package org.sparkformer.kernels.config;
