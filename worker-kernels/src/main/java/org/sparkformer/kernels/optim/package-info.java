/**
 * Optimizers over the model's flat parameter and gradient buffers (AdamW, Adam, SGD), the learning-rate
 * schedule (warmup then constant, linear or cosine decay), global-norm gradient clipping and the
 * {@link org.sparkformer.kernels.optim.OptimizerConfig} record. Optimizer state is one flat array, so it
 * can be averaged and saved like the parameters.
 */
package org.sparkformer.kernels.optim;
