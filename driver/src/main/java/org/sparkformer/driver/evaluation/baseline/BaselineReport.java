package org.sparkformer.driver.evaluation.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Baseline accuracies on one split, or the reason there are none.
 *
 * @param scores   one per baseline, the task's strongest first
 * @param examples examples scored: texts, or words for token tasks
 * @param fittedOn the training split they were fitted on
 * @param scoredOn the split they were scored on
 * @param omitted  why no baseline was computed, or null
 */
public record BaselineReport(List<Score> scores, long examples, String fittedOn, String scoredOn, String omitted) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param key         JSON key, e.g. {@code naiveBayes}
     * @param description name in logs, e.g. {@code naive Bayes}
     * @param accuracy    share of examples labelled right
     */
    public record Score(String key, String description, double accuracy) {
    }

    public BaselineReport {
        scores = List.copyOf(scores);
    }

    public static BaselineReport scored(List<Score> scores, long examples, String fittedOn, String scoredOn) {
        return new BaselineReport(scores, examples, fittedOn, scoredOn, null);
    }

    public static BaselineReport omitted(String reason) {
        return new BaselineReport(List.of(), 0, null, null, reason);
    }

    public boolean isOmitted() {
        return omitted != null;
    }

    /** The accuracy of the baseline with this key; NaN when it was not computed. */
    public double accuracy(String key) {
        return scores.stream().filter(s -> s.key().equals(key)).mapToDouble(Score::accuracy).findFirst().orElse(Double.NaN);
    }

    /**
     * The model's figure with the baselines beside it, for logs: {@code accuracy 0.9400 (most-frequent tag 0.8550,
     * majority 0.1700)}.
     */
    public String beside(String figure, double value) {
        String detail = isOmitted() ? "baselines omitted: " + omitted
                : scores.stream().map(s -> String.format(Locale.ROOT, "%s %.4f", s.description(), s.accuracy()))
                        .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s %.4f (%s)", figure, value, detail);
    }

    /**
     * As JSON: {@code {"fittedOn", "scoredOn", "examples", <key>: {"accuracy"}...}}, or {@code {"omitted": reason}}.
     */
    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        if (isOmitted()) {
            node.put("omitted", omitted);
            return node;
        }
        node.put("fittedOn", fittedOn);
        node.put("scoredOn", scoredOn);
        node.put("examples", examples);
        for (Score s : scores) {
            node.putObject(s.key()).put("accuracy", s.accuracy());
        }
        return node;
    }
}
