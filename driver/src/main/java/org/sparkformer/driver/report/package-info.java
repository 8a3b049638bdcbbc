/**
 * The report every training and evaluation job writes beside its results: {@code report.html}, self-contained, and its
 * charts as PNG files ({@link org.sparkformer.driver.report.JobReport}), drawn with JFreeChart on the driver alone.
 */
package org.sparkformer.driver.report;
