package org.sparkformer.driver.jobs;

/**
 * One kind of work the command line can start. Implementations are found with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/org.sparkformer.driver.jobs.Job})
 * and keyed by {@link #name()}, which equals the sub-command: pretrain, finetune, evaluate, predict, compress
 * or run-example.
 */
public interface Job {

    /** The sub-command this job implements. */
    String name();

    /** Runs the job; the output directory is locked and the effective configuration already saved in it. */
    void run(JobContext context) throws Exception;
}
