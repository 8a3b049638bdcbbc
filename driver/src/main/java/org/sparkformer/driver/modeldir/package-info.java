/**
 * The model directory a run leaves behind and a later run loads: configuration JSON, vocabulary,
 * labels, weights in safetensors, optional training state for resuming, metrics, provenance and a
 * checksum manifest. Expressed in float arrays, JSON strings, vocabulary lines and label lists so it does
 * not depend on the model classes; written under a temporary name and renamed, verified and validated on
 * load, never trusting a class name from a file.
 */
package org.sparkformer.driver.modeldir;
