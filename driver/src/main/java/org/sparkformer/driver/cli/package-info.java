/**
 * The {@code sparkformer} command line (picocli): sub-commands pretrain, finetune, evaluate, predict, compress
 * and run-example share {@code --config}, {@code --set}, {@code --output}, {@code --overwrite},
 * {@code --resume} and {@code --master}. Each validates the configuration completely before Spark starts,
 * then hands a {@link org.sparkformer.driver.jobs.JobRequest} to the job of the same name.
 */
package org.sparkformer.driver.cli;
