/**
 * The seam between the command line and the work: a {@link org.sparkformer.driver.jobs.Job} per
 * sub-command (pretrain, finetune, evaluate, predict, compress, run-example), found through
 * {@link org.sparkformer.driver.jobs.JobCatalog}, and {@link org.sparkformer.driver.jobs.JobRunner}, which
 * does what every job needs around it: output lock, overwrite/resume checks, the effective configuration
 * saved with the output, the Spark session, and clean shutdown.
 */
package org.sparkformer.driver.jobs;
