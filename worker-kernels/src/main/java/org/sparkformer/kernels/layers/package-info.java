/**
 * The Transformer's layers, what a model is made of, each with a hand-written forward and backward pass: embeddings,
 * LayerNorm, dense layers, multi-head self-attention with padding and causal masks, feed-forward networks, encoder
 * blocks, dropout, the task heads and the softmax cross-entropy. Every parameter is a view into one flat buffer
 * ({@link org.sparkformer.kernels.layers.ParameterSet}); every activation lives in a reusable
 * {@link org.sparkformer.kernels.layers.Workspace} buffer; the products and row passes underneath are the CPU kernels
 * of {@link org.sparkformer.kernels.host}.
 *
 * <p>Shapes are written in these symbols throughout the layers and their kernels (activations c-order, rows first):
 * <ul>
 *   <li>{@code rows}: the sequences of a batch; {@code T}: tokens per sequence, the batch's {@code seqLen};</li>
 *   <li>{@code N = rows * T}: the token positions, the rows of every activation {@code [N, d]};</li>
 *   <li>{@code d}: the model width ({@code dModel}); {@code dFf}: the feed-forward width;</li>
 *   <li>{@code dh = d / heads}: the width of one attention head; {@code BH = rows * heads}: the head blocks, as in
 *       the scores and weights {@code [BH, T, T]};</li>
 *   <li>{@code M}: the rows a dense layer is given (N, or L); {@code L}: the rows a head predicts at (the labelled
 *       positions for masked-LM, all N otherwise);</li>
 *   <li>{@code vocab}, {@code numLabels}: the outputs of the language-model and the classification heads.</li>
 * </ul>
 */
package org.sparkformer.kernels.layers;
