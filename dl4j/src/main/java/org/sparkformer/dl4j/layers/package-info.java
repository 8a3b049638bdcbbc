/**
 * The layer implementations DL4J instantiates from {@link org.sparkformer.dl4j.conf}: hand-written
 * {@code activate} and {@code backpropGradient} that call the worker kernels' forward and backward passes, with the
 * parameters bound as views of the network's flat parameter and gradient arrays, the padding mask taken from DL4J's
 * mask arrays, and the kernels' buffers kept outside DL4J's workspaces ({@link org.sparkformer.dl4j.layers.KernelLayer}).
 */
package org.sparkformer.dl4j.layers;
