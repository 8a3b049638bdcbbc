package org.sparkformer.data.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs each record skipped under {@code onBadRecord: skip} with its file, line, reason and detail, in the log of the
 * JVM that read it (an executor's, or the driver's in local mode). The first {@value #LOGGED_PER_JVM} are logged one
 * line each; after that every {@value #LOGGED_PER_JVM}th, with the count so far, so a file of bad lines cannot flood
 * the log. The exact counts by reason are in the job's report.
 */
final class SkipLog {

    static final int LOGGED_PER_JVM = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SkipLog.class);
    private static final AtomicLong SKIPPED = new AtomicLong();

    private SkipLog() {
    }

    static void skipped(BadRecord bad) {
        long n = SKIPPED.incrementAndGet();
        if (n <= LOGGED_PER_JVM) {
            LOG.warn("skipped {}", bad.describe());
        } else if (n % LOGGED_PER_JVM == 0) {
            LOG.warn("skipped {} ({} records skipped in this JVM so far; one in {} is logged)", bad.describe(), n,
                    LOGGED_PER_JVM);
        }
    }
}
