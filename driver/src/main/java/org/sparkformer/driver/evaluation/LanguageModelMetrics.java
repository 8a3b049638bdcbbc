package org.sparkformer.driver.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparkformer.driver.executor.LanguageModelTally;

/**
 * Masked-LM figures from a merged {@link LanguageModelTally}: the mean cross-entropy over masked positions and its
 * perplexity, {@code exp(loss)}.
 */
public final class LanguageModelMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final double loss;
    private final long maskedTokens;
    private final long tokens;
    private final long sequences;

    public LanguageModelMetrics(LanguageModelTally tally) {
        this.loss = tally.loss().mean();
        this.maskedTokens = tally.loss().count();
        this.tokens = tally.tokens();
        this.sequences = tally.sequences();
    }

    /** Mean cross-entropy (nats) over masked positions; NaN when nothing was masked. */
    public double loss() {
        return loss;
    }

    public double perplexity() {
        return Math.exp(loss);
    }

    /** Positions predicted (the masked-LM targets). */
    public long maskedTokens() {
        return maskedTokens;
    }

    /** Real (non-padding) tokens in the scored sequences. */
    public long tokens() {
        return tokens;
    }

    public long sequences() {
        return sequences;
    }

    /** The figures as JSON: loss, perplexity, maskedTokens, tokens, sequences. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        MetricsJson.putNumber(root, "loss", loss);
        MetricsJson.putNumber(root, "perplexity", perplexity());
        root.put("maskedTokens", maskedTokens);
        root.put("tokens", tokens);
        root.put("sequences", sequences);
        return root;
    }
}
