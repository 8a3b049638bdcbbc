/**
 * Model files on disk and on the wire: the safetensors layout for weights and optimizer state
 * ({@link org.sparkformer.kernels.io.SafeTensors}) and SHA-256 manifests that make a set of files
 * verifiable ({@link org.sparkformer.kernels.io.ChecksumManifest}). Everything is stream based so the
 * driver can use Hadoop file-system streams; readers validate the whole header before allocating any
 * tensor memory, and no class name is ever read from a file.
 */
package org.sparkformer.kernels.io;
