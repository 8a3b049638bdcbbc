/**
 * The run configuration's data section turned into data-pipeline reads ({@link
 * org.sparkformer.driver.inputs.SplitReader}): the corpus, labelled splits (delimited, JSON Lines, Parquet or CoNLL)
 * encoded for the model's task ({@link org.sparkformer.driver.inputs.EncodedSplit}), with the bad-record policy and
 * the skip counts that go into the data report; a split's records counted before Spark starts; and the seeded k-fold
 * split of a training set for cross-validation ({@link org.sparkformer.driver.inputs.Folds}).
 */
package org.sparkformer.driver.inputs;
