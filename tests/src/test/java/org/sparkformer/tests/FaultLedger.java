package org.sparkformer.tests;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Keeps the score of the reliability suite and prints it when the test run ends:
 * <pre>
 *   faults survived N of M
 *   bad inputs tried K
 *   silent drops 0
 *   malicious model directories rejected N of N
 * </pre>
 * Every test of a class extended with this ledger is one fault scenario (each invocation of a parameterized test
 * one): survived when it passed. The total is what the classes that started declare ({@link FaultScenarios}). The
 * ledger cannot lie: when a class ends it fails, as an error of the class (so the build fails), if
 * <ul>
 *   <li>none of its scenarios reached the ledger (its set-up failed): they count as not survived;</li>
 *   <li>every test method of the class ran, but the scenarios that ran differ in number from the declared one (a
 *       {@code @FaultScenarios(n)} left behind when a test or a parameter set was added or removed);</li>
 *   <li>a scenario was aborted (an assumption failed): tried and not survived, yet no test failure.</li>
 * </ul>
 * A run filtered to some methods of a class (a test method that did not run at all) is not compared with the
 * declaration; it prints how many ran. The report also says how many of the fault suites on the class path ran and
 * what they declare in all ({@link #faultSuitesOnClassPath}), so a suite that never started shows. Bad inputs report through {@link #badInput}; a silent drop is a bad input
 * that was neither raised nor counted, i.e. records read plus records skipped fall short of the records in the input.
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

    /** The ledger of a suite of hostile model directories: tests report through {@link #maliciousModel}. */
    public static FaultLedger forModelDirectories() {
        return new FaultLedger(false);
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultLedger.class);
    private static final String SCORE = "score";
    /** Reports open now: a run started from inside a test (a test of this ledger) keeps its own score, unprinted. */
    private static final AtomicInteger OPEN_REPORTS = new AtomicInteger();
    private static final AtomicInteger BAD_INPUTS = new AtomicInteger();
    private static final AtomicInteger SILENT_DROPS = new AtomicInteger();
    private static final AtomicInteger MALICIOUS_MODELS = new AtomicInteger();
    private static final AtomicInteger MALICIOUS_REJECTED = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) {
        report(context);
        if (!countsFaults) {
            return;
        }
        Class<?> suite = context.getRequiredTestClass();
        if (suite.getAnnotation(FaultScenarios.class) == null) {
            throw new IllegalStateException(suite.getSimpleName() + " is a fault suite without @FaultScenarios(n)");
        }
        context.getStore(NAMESPACE).put(SCORE, new ClassScore());
    }

    /**
     * Counts a class none of whose scenarios reached the ledger as not survived, and fails the class when its
     * scenarios do not add up (see the class comment).
     */
    @Override
    public void afterAll(ExtensionContext context) {
        if (!countsFaults) {
            return;
        }
        Class<?> suite = context.getRequiredTestClass();
        int declared = suite.getAnnotation(FaultScenarios.class).value();
        ClassScore score = context.getStore(NAMESPACE).get(SCORE, ClassScore.class);
        int seen = score == null ? 0 : score.reported.get();
        Report report = report(context);
        report.expected.addAndGet(declared);
        report.suites.add(suite.getSimpleName());
        if (seen == 0) {
            report.faults.addAndGet(declared);
            throw new AssertionFailedError(suite.getSimpleName() + ": none of its " + declared
                    + " fault scenarios reached the ledger; counted as not survived");
        }
        String mismatch = mismatch(suite, declared, seen, score);
        if (mismatch != null) {
            throw new AssertionFailedError(mismatch);
        }
    }

    /**
     * Why the scenarios of {@code suite} that reached the ledger do not add up, or null when they do, or when the run
     * was filtered to some of its methods (so fewer were meant to run).
     */
    private static String mismatch(Class<?> suite, int declared, int seen, ClassScore score) {
        if (score.aborted.get() > 0) {
            return suite.getSimpleName() + ": " + score.aborted.get() + " of its fault scenarios aborted (an assumption"
                    + " failed), so it survived " + (seen - score.aborted.get()) + " of the " + seen + " it tried";
        }
        Set<String> methods = new TreeSet<>();
        for (Method m : AnnotationSupport.findAnnotatedMethods(suite, Testable.class, HierarchyTraversalMode.TOP_DOWN)) {
            methods.add(m.getName());
        }
        if (!score.methods.containsAll(methods)) {
            System.out.println(suite.getSimpleName() + ": " + seen + " of its " + declared + " fault scenarios ran, of the"
                    + " methods " + new TreeSet<>(score.methods) + " of " + methods + " (a method filter runs fewer)");
            return null;
        }
        if (seen != declared) {
            return suite.getSimpleName() + " declares @FaultScenarios(" + declared + ") but " + seen + " ran, and every one"
                    + " of its test methods " + methods + " ran: make the declaration match what runs";
        }
        return null;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        if (countsFaults) {
            Report report = report(context);
            report.faults.incrementAndGet();
            report.survived.incrementAndGet();
            classScore(context);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (countsFaults) {
            report(context).faults.incrementAndGet();
            classScore(context);
        }
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        if (countsFaults) {
            report(context).faults.incrementAndGet();
            ClassScore score = classScore(context);
            if (score != null) {
                score.aborted.incrementAndGet();
            }
        }
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        if (countsFaults) {
            report(context).notRun.incrementAndGet();
            classScore(context);
        }
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

    /**
     * Every fault suite (a top-level class of this package with {@link FaultScenarios}) among the compiled test classes,
     * by simple name, with the scenarios it declares.
     */
    static Map<String, Integer> faultSuitesOnClassPath() {
        Map<String, Integer> suites = new TreeMap<>();
        try {
            Path dir = Path.of(FaultLedger.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve(FaultLedger.class.getPackageName().replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".class") && !name.contains("$")) {
                        Class<?> c = Class.forName(FaultLedger.class.getPackageName() + "." + name.replace(".class", ""),
                                false, FaultLedger.class.getClassLoader());
                        FaultScenarios declared = c.getAnnotation(FaultScenarios.class);
                        if (declared != null) {
                            suites.put(c.getSimpleName(), declared.value());
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot list the fault suites among the test classes", e);
        }
        return suites;
    }

    /** The score of this test run, kept in its root context. */
    private static Report report(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(FaultLedger.class.getName(), k -> new Report(), Report.class);
    }

    /** Counts one scenario in the score of its class (a test, or one invocation of a parameterized test). */
    private static ClassScore classScore(ExtensionContext context) {
        ClassScore score = context.getParent().flatMap(p -> Optional.ofNullable(
                p.getStore(NAMESPACE).get(SCORE, ClassScore.class))).orElse(null);
        if (score == null) {
            // a parameterized test's invocation: its parent is the method, the class above it
            score = context.getParent().flatMap(ExtensionContext::getParent).map(p -> p.getStore(NAMESPACE)
                    .get(SCORE, ClassScore.class)).orElse(null);
        }
        if (score != null) {
            score.reported.incrementAndGet();
            context.getTestMethod().map(Method::getName).ifPresent(score.methods::add);
        }
        return score;
    }

    /** What the scenarios of one class did, as they reached the ledger. */
    private static final class ClassScore {
        final AtomicInteger reported = new AtomicInteger();
        final AtomicInteger aborted = new AtomicInteger();
        final Set<String> methods = ConcurrentHashMap.newKeySet();
    }

    /** The fault scenarios of one test run, printed (with the bad inputs) when its root context closes at the end. */
    private static final class Report implements ExtensionContext.Store.CloseableResource {
        final AtomicInteger expected = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();
        final AtomicInteger survived = new AtomicInteger();
        final AtomicInteger notRun = new AtomicInteger();
        final Set<String> suites = ConcurrentHashMap.newKeySet();
        private final boolean nested = OPEN_REPORTS.getAndIncrement() > 0;

        @Override
        public void close() {
            OPEN_REPORTS.decrementAndGet();
            if (nested) {
                return;
            }
            System.out.println("faults survived " + survived.get() + " of " + faults.get()
                    + (notRun.get() > 0 ? " (" + notRun.get() + " slow scenarios not run; -Dsparkformer.slow=true)" : ""));
            System.out.println("bad inputs tried " + BAD_INPUTS.get());
            System.out.println("silent drops " + SILENT_DROPS.get());
            if (MALICIOUS_MODELS.get() > 0) {
                System.out.println("malicious model directories rejected " + MALICIOUS_REJECTED.get() + " of " + MALICIOUS_MODELS.get());
            }
            Map<String, Integer> all = faultSuitesOnClassPath();
            System.out.println("fault suites run " + suites.size() + " of the " + all.size() + " in the tests, which declare "
                    + all.values().stream().mapToInt(Integer::intValue).sum() + " scenarios"
                    + (suites.containsAll(all.keySet()) ? "" : "; not run: " + new TreeSet<>(all.keySet()).stream()
                            .filter(n -> !suites.contains(n)).toList()));
            int counted = faults.get() + notRun.get();
            if (counted < expected.get()) {
                System.out.println("fault scenarios counted " + counted + " of the " + expected.get()
                        + " the suites that ran declare (a method filter runs fewer)");
            }
        }
    }
}
