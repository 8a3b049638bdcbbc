/**
 * The performance benchmark ({@code scripts/bench}): measures, in one run and as medians over timed steps after
 * warm-up, the sgemm peak of this machine, single-worker training and inference throughput of the worker kernels
 * with their model FLOP utilisation (MFU) against that peak, data-pipeline throughput against the training rate,
 * and the speed-up of parameter-averaging rounds from one to two single-core executors on a local Spark cluster
 * with the share of round time spent outside local training, plus peak heap and native memory per JVM. Nothing is
 * assumed: every printed figure is measured, and targets are only compared against.
 */
package org.sparkformer.bench;
