/**
 * Encoded sequences and the minibatches made from them: packing documents into pretraining sequences, encoding
 * labelled text for sequence and token classification (with truncation counted), masked-LM and causal-LM labels,
 * and {@link org.sparkformer.data.batch.MiniBatchIterator}, which turns one partition's sequences into padded
 * {@link org.sparkformer.kernels.batch.MiniBatch}es in a per-epoch seeded order and can start at any batch of any
 * epoch without replaying earlier ones.
 */
package org.sparkformer.data.batch;
