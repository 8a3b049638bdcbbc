package org.sparkformer.driver.training;

/** Measures the validation metric of a set of parameters (runs on the driver, may start Spark jobs). */
@FunctionalInterface
public interface Validation {

    double measure(float[] params) throws Exception;
}
