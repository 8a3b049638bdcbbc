/**
 * Compressing a trained model: weight matrices stored in int8, float16 or bfloat16 and sparse matrices in a bitmask
 * layout ({@link org.sparkformer.driver.compression.CompressedModel}), written as an ordinary model directory that
 * every command loads.
 */
package org.sparkformer.driver.compression;
