/**
 * The report every training, evaluation and tuning job writes beside its results: {@code report.html},
 * self-contained, and its charts as PNG files ({@link org.sparkformer.driver.report.JobReport}), drawn with JFreeChart
 * on the driver alone.
 */
package org.sparkformer.driver.report;
