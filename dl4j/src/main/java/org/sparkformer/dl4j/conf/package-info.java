/**
 * The encoder's layers as DL4J layer configurations, for {@code GraphBuilder.addLayer}: the embeddings, one encoder
 * block, the final LayerNorm and the task heads, each holding the model configuration it belongs to. Their parameters
 * are the ones the worker kernels' own layer classes declare, in the model's order
 * ({@link org.sparkformer.dl4j.conf.KernelParamInitializer}), so the math exists once, in
 * {@link org.sparkformer.kernels.layers}. None of them is a SameDiff layer.
 */
package org.sparkformer.dl4j.conf;
