package org.sparkformer.driver.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The jobs available by name. */
public final class JobCatalog {

    private final Map<String, Job> jobs;

    public JobCatalog(Map<String, Job> jobs) {
        this.jobs = Map.copyOf(jobs);
    }

    /** Every {@link Job} registered through {@link ServiceLoader}; a name registered twice is an error. */
    public static JobCatalog fromServiceLoader() {
        Map<String, Job> found = new LinkedHashMap<>();
        for (Job job : ServiceLoader.load(Job.class, JobCatalog.class.getClassLoader())) {
            Job previous = found.put(job.name(), job);
            if (previous != null) {
                throw new IllegalStateException("two implementations of job " + job.name() + ": "
                        + previous.getClass().getName() + " and " + job.getClass().getName());
            }
        }
        return new JobCatalog(found);
    }

    public Optional<Job> find(String name) {
        return Optional.ofNullable(jobs.get(name));
    }
}
