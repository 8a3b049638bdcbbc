/**
 * What a job's data looked like: documents, sequences, tokens, unknown-token rate, truncation, skipped records by
 * reason, label distribution and padding, as JSON and as a summary for people, written atomically.
 */
package org.sparkformer.data.report;
