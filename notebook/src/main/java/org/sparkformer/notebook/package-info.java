/**
 * A Jupyter kernel for Java cells on the project's class path. {@link org.sparkformer.notebook.SparkformerKernel} speaks
 * the Jupyter wire protocol (through jjava-jupyter's base kernel) and evaluates each cell with
 * {@link org.sparkformer.notebook.CellEvaluator}, a JShell running in the kernel's own JVM;
 * {@link org.sparkformer.notebook.Displays} turns a cell's value into what the notebook shows (a DataFrame as an HTML
 * table with its row count, a chart or image as an inline PNG, anything else through {@code toString}), and
 * {@link org.sparkformer.notebook.Notebook} holds the helpers every cell sees: {@code spark()}, {@code display(...)},
 * {@code lineChart(...)}, {@code image(...)}, {@code outputDir(...)}.
 */
package org.sparkformer.notebook;
