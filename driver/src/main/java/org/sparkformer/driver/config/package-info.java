/**
 * The run configuration: three immutable sections ({@link org.sparkformer.driver.config.ModelSection},
 * {@link org.sparkformer.driver.config.DataSection}, {@link org.sparkformer.driver.config.TrainingSection})
 * with documented defaults, loaded by {@link org.sparkformer.driver.config.ConfigLoader} from YAML files
 * that state only their differences from the defaults, plus {@code --set section.key=value} overrides.
 * Unknown keys and wrongly typed values stop the run before Spark starts, naming the key, file and line;
 * the effective configuration is dumped as YAML with every output.
 */
package org.sparkformer.driver.config;
