package org.sparkformer.tests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many fault scenarios (test invocations, each parameter set one) a class extended with {@link FaultLedger}
 * holds. The ledger adds the numbers of every class that starts and reports {@code faults survived N of} that sum, so
 * a class that fails before its tests run (in {@code @BeforeAll}, say) shows as scenarios not survived instead of
 * vanishing from the count.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface FaultScenarios {
    int value();
}
