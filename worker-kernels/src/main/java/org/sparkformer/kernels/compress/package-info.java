/**
 * Making a trained model smaller: the storage of weight matrices in fewer bits ({@link
 * org.sparkformer.kernels.compress.WeightFormat}: float16, bfloat16, or int8 with a scale per row, {@link
 * org.sparkformer.kernels.compress.Int8Rows}) and in a sparse layout ({@link org.sparkformer.kernels.compress.Bitmask}),
 * described per tensor by a {@link org.sparkformer.kernels.compress.WeightStorage} that a model's configuration
 * carries and loading decodes once into ordinary float32 parameters; structured pruning of attention heads and
 * feed-forward neurons ({@link org.sparkformer.kernels.compress.StructuredPruning}) and magnitude pruning of weights
 * ({@link org.sparkformer.kernels.compress.MagnitudePruning}), at once or on a
 * {@link org.sparkformer.kernels.compress.SparsitySchedule} while training.
 */
package org.sparkformer.kernels.compress;
