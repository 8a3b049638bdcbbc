/**
 * The kernels as the CPU computes them, the numeric work under the layers: element access to an array's host memory
 * ({@link org.sparkformer.kernels.host.HostArray}) and a pool that splits loops over it as wide as ND4J's own
 * ({@link org.sparkformer.kernels.host.HostThreads}); row reductions in a fixed order
 * ({@link org.sparkformer.kernels.host.FloatRows}, {@link org.sparkformer.kernels.host.DoubleRows}); {@code exp} over
 * float arrays ({@link org.sparkformer.kernels.host.FloatExp}) and the vector lanes that give the same bits faster
 * where the JVM has the vector module ({@link org.sparkformer.kernels.host.VectorLanes}); column sums, bias prefills
 * and the softmax gradient as single passes; and the dense and the batched products on BLAS
 * ({@link org.sparkformer.kernels.host.MatMul}, {@link org.sparkformer.kernels.host.BatchedMatMul}), with sections
where each host thread issues its own products on one BLAS thread ({@link org.sparkformer.kernels.host.BlasThreads}).
Results depend on
 * the values alone, never on the thread count or on whether the lanes are on. Shapes are in the symbols the layers'
 * package defines (N, T, BH, dh, ...). Nothing here knows a layer: another implementation of the kernels (ND4J ops
 * for another backend, say) would stand beside this package. Until one does, these kernels run on ND4J's CPU backend
 * alone, and every job refuses another backend at its start ({@link org.sparkformer.kernels.host.SupportedBackend},
 * {@link org.sparkformer.kernels.host.UnsupportedBackendException}).
 */
package org.sparkformer.kernels.host;
