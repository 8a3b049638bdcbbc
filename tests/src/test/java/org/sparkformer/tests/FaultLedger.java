package org.sparkformer.tests;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the score of the reliability suite and prints it when the test run ends:
 * <pre>
 *   faults survived N of M
 *   bad inputs tried K
 *   silent drops 0
 * </pre>
 * Every test of a class extended with this ledger is one fault scenario: survived when it passed. Bad
 * inputs report through {@link #badInput}; a silent drop is a bad input that was neither raised nor
 * counted, i.e. records read plus records skipped fall short of the records in the input.
 */
public final class FaultLedger implements BeforeAllCallback, TestWatcher {

    private final boolean countsFaults;

    /** The ledger of a fault suite: each test is one fault scenario. */
    public FaultLedger() {
        this(true);
    }

    private FaultLedger(boolean countsFaults) {
        this.countsFaults = countsFaults;
    }

    /** The ledger of a bad-input suite: tests report through {@link #badInput} and are not fault scenarios. */
    public static FaultLedger forBadInputs() {
        return new FaultLedger(false);
    }

    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static final AtomicInteger SURVIVED = new AtomicInteger();
    private static final AtomicInteger NOT_RUN = new AtomicInteger();
    private static final AtomicInteger BAD_INPUTS = new AtomicInteger();
    private static final AtomicInteger SILENT_DROPS = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(FaultLedger.class.getName(), k -> new Report(), Report.class);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        if (!countsFaults) {
            return;
        }
        FAULTS.incrementAndGet();
        SURVIVED.incrementAndGet();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (!countsFaults) {
            return;
        }
        FAULTS.incrementAndGet();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        if (!countsFaults) {
            return;
        }
        FAULTS.incrementAndGet();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        if (!countsFaults) {
            return;
        }
        NOT_RUN.incrementAndGet();
    }

    /**
     * Records one bad input.
     *
     * @param records records in the input, bad ones included
     * @param read    records read as good
     * @param skipped records counted as skipped
     * @param raised  whether reading failed with an error
     * @return whether the input was dropped silently
     */
    public static boolean badInput(long records, long read, long skipped, boolean raised) {
        BAD_INPUTS.incrementAndGet();
        boolean silent = !raised && read + skipped < records;
        if (silent) {
            SILENT_DROPS.incrementAndGet();
        }
        return silent;
    }

    /** Printed once, when the root context closes at the end of the run. */
    private static final class Report implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            System.out.println("faults survived " + SURVIVED.get() + " of " + FAULTS.get()
                    + (NOT_RUN.get() > 0 ? " (" + NOT_RUN.get() + " slow scenarios not run; -Dsparkformer.slow=true)" : ""));
            System.out.println("bad inputs tried " + BAD_INPUTS.get());
            System.out.println("silent drops " + SILENT_DROPS.get());
        }
    }
}
