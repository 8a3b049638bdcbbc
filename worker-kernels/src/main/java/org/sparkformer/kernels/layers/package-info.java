/**
 * Hand-written forward and backward passes of the Transformer's layers on ND4J kernels: dense layers as
 * {@code Nd4j.gemm} into preallocated column-major results, LayerNorm, batched multi-head attention with padding
 * and causal masks, feed-forward networks, embeddings, dropout, the task heads and the softmax cross-entropy.
 * Every parameter is a view into one flat buffer ({@link org.sparkformer.kernels.layers.ParameterSet}); every
 * activation lives in a reusable {@link org.sparkformer.kernels.layers.Workspace} buffer.
 */
package org.sparkformer.kernels.layers;
