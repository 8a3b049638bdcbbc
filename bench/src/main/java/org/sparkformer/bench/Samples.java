package org.sparkformer.bench;

import java.util.Arrays;

/** Repeated measurements of one quantity; the benchmark quotes their median, with min and max for the spread. */
public final class Samples {

    private final double[] sorted;

    private Samples(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples: at least one timed measurement is needed");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public static Samples of(double... values) {
        return new Samples(values);
    }

    /** The middle value; the mean of the two middle values when the count is even. */
    public double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public int count() {
        return sorted.length;
    }

    /** Each sample mapped through {@code x -> numerator / x}, e.g. seconds per step to steps per second. */
    public Samples reciprocal(double numerator) {
        double[] out = new double[sorted.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = numerator / sorted[i];
        }
        return new Samples(out);
    }

    @Override
    public String toString() {
        return String.format("median %.4g (min %.4g, max %.4g, n=%d)", median(), min(), max(), count());
    }
}
