/**
 * The {@link org.sparkformer.kernels.model.TransformerModel}: assembles embeddings, blocks and the task head over
 * one flat parameter buffer, runs training passes (loss and gradients) and eval passes (loss, logits,
 * probabilities, hidden states), and builds fine-tuning models from a pretrained encoder. Its
 * {@link org.sparkformer.kernels.model.Inference} computes the eval passes' function for throughput, as scoring uses
 * it, over batches that {@link org.sparkformer.kernels.model.LengthBuckets} groups by length;
 * {@link org.sparkformer.kernels.model.InferenceTiming} times it the way the benchmark reports it.
 */
package org.sparkformer.kernels.model;
