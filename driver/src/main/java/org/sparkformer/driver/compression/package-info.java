/**
 * Compressing a trained classifier and reporting what it cost: a {@link org.sparkformer.driver.compression.CompressionRecipe}
 * (heads and feed-forward neurons removed, weights pruned by magnitude, weight matrices stored in int8, float16 or
 * bfloat16) applied by {@link org.sparkformer.driver.compression.CompressionSteps} into a
 * {@link org.sparkformer.driver.compression.CompressedModel}, an ordinary model directory that every command loads,
 * and the {@link org.sparkformer.driver.compression.CompressionReport} of size, parameters, sparsity, accuracy and
 * throughput before and after that {@code sparkformer compress} writes.
 */
package org.sparkformer.driver.compression;
