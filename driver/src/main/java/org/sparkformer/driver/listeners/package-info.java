/**
 * Hooks into the training loop: {@link org.sparkformer.driver.listeners.TrainingListener} receives the
 * {@link org.sparkformer.driver.listeners.TrainingState} after each round, each evaluation and at the
 * start and end of training, and may ask training to stop. Provided listeners log progress, record every round's
 * figures ({@link org.sparkformer.driver.listeners.HistoryRecorder} into a
 * {@link org.sparkformer.driver.listeners.TrainingHistory}), stop early when validation stops improving, and write
 * checkpoints. On a terminal, {@link org.sparkformer.driver.listeners.ConsoleProgress} draws a progress bar of the
 * rounds, and {@link org.sparkformer.driver.listeners.TaskProgress} one of the Spark tasks of long work before them
 * (reading and tokenizing the data).
 */
package org.sparkformer.driver.listeners;
