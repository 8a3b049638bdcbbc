/**
 * The worker kernels' input contract: {@link org.sparkformer.kernels.batch.MiniBatch}, a minibatch of
 * token ids, attention mask and labels as flat int arrays. The data pipeline produces it; the model
 * and the local trainer consume it.
 */
package org.sparkformer.kernels.batch;
