package org.sparkformer.tests;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The fault ledger cannot lie: a suite whose scenarios that ran differ from its {@code @FaultScenarios} count, one
 * with an aborted scenario, and one whose set-up failed each fail as a class with a message saying so; a suite whose
 * count matches (parameter sets included), and a run filtered to some of its methods, pass. Each case runs a small
 * suite of its own through the JUnit launcher, which keeps a score apart from this run's. The fault suites of the
 * tests declare 88 scenarios in all (a suite added or removed changes it here too).
 */
@ExtendWith(FaultLedger.class)
@FaultScenarios(6)
class FaultLedgerTest {

    /** The scenarios the fault suites of the tests declare in all; the ledger prints it as the total they declare. */
    static final int EXPECTED_SCENARIOS = 88;

    @Test
    void aSuiteThatRunsFewerScenariosThanItDeclaresFailsSayingSo() {
        TestExecutionSummary run = run(selectClass(DeclaresThreeRunsTwo.class));

        assertEquals(2, run.getTestsSucceededCount());
        assertEquals(List.of("DeclaresThreeRunsTwo declares @FaultScenarios(3) but 2 ran, and every one of its test"
                + " methods [first, second] ran: make the declaration match what runs"), failures(run));
    }

    @Test
    void anAbortedScenarioFailsItsSuiteAsSurvivedFewerThanTried() {
        TestExecutionSummary run = run(selectClass(OneAborts.class));

        assertEquals(1, run.getTestsAbortedCount());
        assertEquals(List.of("OneAborts: 1 of its fault scenarios aborted (an assumption failed), so it survived 1 of the"
                + " 2 it tried"), failures(run));
    }

    @Test
    void aSuiteWhoseSetUpFailsFailsWithItsScenariosCountedAsNotSurvived() {
        TestExecutionSummary run = run(selectClass(SetUpFails.class));

        assertEquals(0, run.getTestsStartedCount());
        assertEquals(List.of("no cluster today", "SetUpFails: none of its 2 fault scenarios reached the ledger; counted as"
                + " not survived"), failures(run));
    }

    @Test
    void aSuiteWhoseCountMatchesItsTestsAndParameterSetsPasses() {
        TestExecutionSummary run = run(selectClass(DeclaresFourRunsFour.class));

        assertEquals(4, run.getTestsSucceededCount());
        assertEquals(List.of(), failures(run));
    }

    @Test
    void aRunFilteredToOneMethodIsNotComparedWithTheDeclaration() {
        TestExecutionSummary run = run(selectMethod(DeclaresThreeRunsTwo.class, "first"));

        assertEquals(1, run.getTestsSucceededCount());
        assertEquals(List.of(), failures(run));
    }

    @Test
    void theFaultSuitesDeclareSeventyScenariosAndEachCountsItsTests() {
        Map<String, Integer> suites = FaultLedger.faultSuitesOnClassPath();

        assertEquals(EXPECTED_SCENARIOS, suites.values().stream().mapToInt(Integer::intValue).sum(), suites.toString());
        assertEquals(5, suites.get("TaskRetryTest"), "mid-training, on a cached model, after the result was sent");
        assertEquals(5, suites.get("StorageFaultTest"), suites.toString());
        assertEquals(3, suites.get("ResumeGuardTest"), suites.toString());
        assertEquals(18, suites.get("CheckpointResumeTest"), "parameter sets count: " + suites);
        assertEquals(18, suites.get("S3aCheckpointTest"), "the checkpoint and model-write scenarios on S3A: " + suites);
        assertFalse(suites.containsKey("DeclaresThreeRunsTwo"), "nested suites of a test are not the suite's: " + suites);
        assertFalse(suites.containsKey("BadInputTableTest"), "bad-input tables are counted apart: " + suites);
    }

    // ------------------------------------------------------------------ the suites the cases run

    @ExtendWith(FaultLedger.class)
    @FaultScenarios(3)
    static class DeclaresThreeRunsTwo {
        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }

    @ExtendWith(FaultLedger.class)
    @FaultScenarios(2)
    static class OneAborts {
        @Test
        void survives() {
        }

        @Test
        void aborts() {
            Assumptions.assumeTrue(false, "not on this machine");
        }
    }

    @ExtendWith(FaultLedger.class)
    @FaultScenarios(2)
    static class SetUpFails {
        @BeforeAll
        static void startCluster() {
            throw new IllegalStateException("no cluster today");
        }

        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }

    @ExtendWith(FaultLedger.class)
    @FaultScenarios(4)
    static class DeclaresFourRunsFour {
        @Test
        void plain() {
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        void perParameterSet(int n) {
        }
    }

    // ------------------------------------------------------------------ running them

    private static TestExecutionSummary run(DiscoverySelector selector) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selector).build(), listener);
        return listener.getSummary();
    }

    /** The messages of every failure of the run, each failure's suppressed ones after it. */
    private static List<String> failures(TestExecutionSummary run) {
        List<String> out = new ArrayList<>();
        for (TestExecutionSummary.Failure f : run.getFailures()) {
            out.add(f.getException().getMessage());
            for (Throwable s : f.getException().getSuppressed()) {
                out.add(s.getMessage());
            }
        }
        return out;
    }
}
