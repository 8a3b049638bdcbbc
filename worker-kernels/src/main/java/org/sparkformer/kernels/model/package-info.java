/**
 * The {@link org.sparkformer.kernels.model.TransformerModel}: assembles embeddings, blocks and the task head over
 * one flat parameter buffer, runs training passes (loss and gradients) and eval passes (loss, logits,
 * probabilities, hidden states), and builds fine-tuning models from a pretrained encoder; {@link
 * org.sparkformer.kernels.model.InferenceTiming} times eval-mode inference the way the benchmark reports it.
 */
package org.sparkformer.kernels.model;
