/**
 * The bridge between a Sparkformer model and Deeplearning4j: {@link org.sparkformer.dl4j.EncoderGraph} turns a
 * {@link org.sparkformer.kernels.model.TransformerModel} (or a model directory on the local file system) into a DL4J
 * {@link org.deeplearning4j.nn.graph.ComputationGraph} whose flat parameter array is the model's, adds the encoder to
 * a graph of the caller's own, and turns a trained graph back into a model, all in memory. The model directory stays
 * the one file format; a DL4J model zip is never read or written here.
 */
package org.sparkformer.dl4j;
