/**
 * Local training on one worker: the {@link org.sparkformer.kernels.train.LocalTrainer} loop (gradient
 * accumulation, clipping, scheduled optimizer steps, seeded dropout), its resumable
 * {@link org.sparkformer.kernels.train.TrainerState} and per-call {@link org.sparkformer.kernels.train.TrainStats}.
 */
package org.sparkformer.kernels.train;
