package org.sparkformer.driver.executor;

/**
 * What a row of logits says: the predicted label (argmax, lowest index on ties), the probabilities (softmax, in
 * double precision) and the cross-entropy of a gold label. Evaluation and prediction both read logits through here,
 * so they agree on every prediction.
 */
public final class Scores {

    private Scores() {
    }

    /** Index of the largest logit; the lowest such index on ties. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Softmax of {@code logits}, computed stably (max subtracted) in double precision. */
    public static double[] softmax(float[] logits) {
        double max = logits[argmax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** {@code -log softmax(logits)[gold]}: log-sum-exp of the logits minus the gold logit. */
    public static double crossEntropy(float[] logits, int gold) {
        double max = logits[argmax(logits)];
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum) - logits[gold];
    }
}
