package org.sparkformer.tests;

import org.junit.jupiter.api.extension.AfterAllCallback;
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
 *   malicious model directories rejected N of N
 * </pre>
 * Every test of a class extended with this ledger is one fault scenario: survived when it passed. The total is
 * what the classes that started declare ({@link FaultScenarios}), and the report fails the run when fewer
 * scenarios than that reached the ledger, so a class whose set-up failed cannot drop out of the count. Bad
 * inputs report through {@link #badInput}; a silent drop is a bad input that was neither raised nor
 * counted, i.e. records read plus records skipped fall short of the records in the input.
 */
public final class FaultLedger implements BeforeAllCallback, AfterAllCallback, TestWatcher {

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

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultLedger.class);
    private static final String REPORTED = "reported";
    private static final AtomicInteger EXPECTED = new AtomicInteger();
    private static final AtomicInteger FAULTS = new AtomicInteger();
    private static final AtomicInteger SURVIVED = new AtomicInteger();
    private static final AtomicInteger NOT_RUN = new AtomicInteger();
    private static final AtomicInteger BAD_INPUTS = new AtomicInteger();
    private static final AtomicInteger SILENT_DROPS = new AtomicInteger();
    private static final AtomicInteger MALICIOUS_MODELS = new AtomicInteger();
    private static final AtomicInteger MALICIOUS_REJECTED = new AtomicInteger();

    /** The ledger of a suite of hostile model directories: tests report through {@link #maliciousModel}. */
    public static FaultLedger forModelDirectories() {
        return new FaultLedger(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(FaultLedger.class.getName(), k -> new Report(), Report.class);
        if (!countsFaults) {
            return;
        }
        Class<?> suite = context.getRequiredTestClass();
        if (suite.getAnnotation(FaultScenarios.class) == null) {
            throw new IllegalStateException(suite.getSimpleName() + " is a fault suite without @FaultScenarios(n)");
        }
        context.getStore(NAMESPACE).put(REPORTED, new AtomicInteger());
    }

    /**
     * A class none of whose scenarios reached the ledger (its set-up failed) counts all it declares as not
     * survived; a class that reported some but not all of them was run with a method filter.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        if (!countsFaults) {
            return;
        }
        int declared = context.getRequiredTestClass().getAnnotation(FaultScenarios.class).value();
        AtomicInteger reported = context.getStore(NAMESPACE).get(REPORTED, AtomicInteger.class);
        int seen = reported == null ? 0 : reported.get();
        if (seen == 0) {
            System.out.println(context.getRequiredTestClass().getSimpleName() + ": none of its " + declared
                    + " fault scenarios reached the ledger; counted as not survived");
            FAULTS.addAndGet(declared);
        }
        EXPECTED.addAndGet(declared);
    }

    private static void reported(ExtensionContext context) {
        AtomicInteger n = context.getParent().flatMap(p -> java.util.Optional.ofNullable(
                p.getStore(NAMESPACE).get(REPORTED, AtomicInteger.class))).orElse(null);
        if (n == null) {
            // a parameterized test's invocation: its parent is the method, the class above it
            n = context.getParent().flatMap(ExtensionContext::getParent).map(p -> p.getStore(NAMESPACE)
                    .get(REPORTED, AtomicInteger.class)).orElse(null);
        }
        if (n != null) {
            n.incrementAndGet();
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        if (!countsFaults) {
            return;
        }
        FAULTS.incrementAndGet();
        SURVIVED.incrementAndGet();
        reported(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (!countsFaults) {
            return;
        }
        FAULTS.incrementAndGet();
        reported(context);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        if (!countsFaults) {
            return;
        }
        FAULTS.incrementAndGet();
        reported(context);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        if (!countsFaults) {
            return;
        }
        NOT_RUN.incrementAndGet();
        reported(context);
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

    /**
     * Records one malicious or malformed model directory offered to the loader.
     *
     * @param rejected whether loading failed with one clear line and exit code 1
     */
    public static void maliciousModel(boolean rejected) {
        MALICIOUS_MODELS.incrementAndGet();
        if (rejected) {
            MALICIOUS_REJECTED.incrementAndGet();
        }
    }

    /** Printed once, when the root context closes at the end of the run. */
    private static final class Report implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            System.out.println("faults survived " + SURVIVED.get() + " of " + FAULTS.get()
                    + (NOT_RUN.get() > 0 ? " (" + NOT_RUN.get() + " slow scenarios not run; -Dsparkformer.slow=true)" : ""));
            System.out.println("bad inputs tried " + BAD_INPUTS.get());
            System.out.println("silent drops " + SILENT_DROPS.get());
            if (MALICIOUS_MODELS.get() > 0) {
                System.out.println("malicious model directories rejected " + MALICIOUS_REJECTED.get() + " of " + MALICIOUS_MODELS.get());
            }
            int counted = FAULTS.get() + NOT_RUN.get();
            if (counted < EXPECTED.get()) {
                System.out.println("fault scenarios counted " + counted + " of the " + EXPECTED.get()
                        + " the suites that ran declare (a method filter runs fewer)");
            }
        }
    }
}
