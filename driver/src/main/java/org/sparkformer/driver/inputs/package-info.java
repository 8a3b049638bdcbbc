/**
 * The run configuration's data section turned into data-pipeline reads: the corpus, labelled splits
 * (delimited, JSON Lines, Parquet or CoNLL) encoded for the model's task, with the bad-record policy and
 * the skip counts that go into the data report.
 */
package org.sparkformer.driver.inputs;
