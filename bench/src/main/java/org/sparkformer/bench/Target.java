package org.sparkformer.bench;

/**
 * The performance targets the measured figures are compared against; none of them feeds into a measurement. The
 * inference target holds each task's inference figure (masked-LM, sequence classification, tagging).
 */
public enum Target {

    TRAIN_MFU("train MFU", 0.40, true),
    INFER_MFU("inference MFU", 0.80, true),
    SCALING("scaling 2 vs 1 worker", 1.8, true),
    OVERHEAD("round overhead share", 0.05, false),
    PIPELINE("pipeline / training rate", 10.0, true);

    private final String label;
    private final double threshold;
    private final boolean atLeast;

    Target(String label, double threshold, boolean atLeast) {
        this.label = label;
        this.threshold = threshold;
        this.atLeast = atLeast;
    }

    public String label() {
        return label;
    }

    public double threshold() {
        return threshold;
    }

    /** "pass", "FAIL", or "n/a" when the figure was not measured. */
    public String verdict(double measured) {
        if (Double.isNaN(measured)) {
            return "n/a";
        }
        boolean ok = atLeast ? measured >= threshold : measured <= threshold;
        return ok ? "pass" : "FAIL";
    }

    /** The target as text, e.g. {@code >= 40%} or {@code <= 5%}, percentages for shares. */
    public String describe(boolean percent) {
        String value = percent ? String.format("%.0f%%", threshold * 100) : String.format("%.1fx", threshold);
        return (atLeast ? ">= " : "<= ") + value;
    }
}
