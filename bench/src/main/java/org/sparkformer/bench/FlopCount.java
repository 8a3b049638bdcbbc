package org.sparkformer.bench;

import org.sparkformer.kernels.config.TransformerConfig;

/**
 * Floating-point operations of the worker-kernels Transformer, counted as the kernels execute them (one
 * multiply-add = 2 FLOPs; only matrix products are counted, element-wise work is not).
 *
 * <ul>
 *   <li>encoder matmul parameters {@code N_enc = L (4 d² + 2 d d_ff)} (Q, K, V, output projections and the two
 *       feed-forward layers of each block; embeddings are look-ups);</li>
 *   <li>masked-LM head matmul parameters {@code N_head = d² + V d} (transform and decoder);</li>
 *   <li>attention per token and block, forward: {@code 4 S d} (QKᵀ and AV over S positions);</li>
 *   <li>training step over T tokens of which P are labelled (the head runs on labelled positions only):
 *       {@code 6 (T N_enc + P N_head) + 12 L S d T} (forward + backward = 3 x forward);</li>
 *   <li>inference (logits at every position) per token: {@code 2 (N_enc + N_head) + 4 L S d};</li>
 *   <li>classifier inference per token: {@code 2 N_enc + 4 L S d} for the encoder, plus {@code 2 d C} per
 *       prediction over C labels (one per sequence, or one per token for tagging).</li>
 * </ul>
 * The nominal training count that ignores the labelled-only head, {@code 6 (N_enc + N_head) + 12 L S d} per token,
 * is also given for comparison with other reports.
 */
public record FlopCount(TransformerConfig model, int seqLen) {

    public FlopCount {
        if (seqLen < 1 || seqLen > model.maxLength()) {
            throw new IllegalArgumentException("seqLen " + seqLen + " must be in [1, maxLength " + model.maxLength() + "]");
        }
    }

    /** The formulas above, as printed with the figures. */
    public static final String TRAIN_FORMULA =
            "train FLOPs/step = 6*(T*N_enc + P*N_head) + 12*L*S*d*T; N_enc = L*(4d^2 + 2*d*d_ff), N_head = d^2 + V*d,"
                    + " T tokens, P labelled positions, S seqLen";
    public static final String INFER_FORMULA = "infer FLOPs/token = 2*(N_enc + N_head) + 4*L*S*d (masked-LM);"
            + " 2*N_enc + 4*L*S*d + 2*d*C/S (sequence classification), + 2*d*C (tagging), C labels";

    public long encoderMatmulParams() {
        long d = model.dModel();
        return model.layers() * (4 * d * d + 2 * d * model.dFf());
    }

    public long headMatmulParams() {
        long d = model.dModel();
        return d * d + (long) model.outputSize() * d;
    }

    /** Forward attention FLOPs per token over all blocks: QKᵀ and AV. */
    public double attentionForwardPerToken() {
        return 4.0 * model.layers() * seqLen * model.dModel();
    }

    /** One training step (forward, backward) over {@code tokens} tokens with {@code labelled} labelled positions. */
    public double trainingStep(long tokens, long labelled) {
        return 6.0 * (tokens * (double) encoderMatmulParams() + labelled * (double) headMatmulParams())
                + 3.0 * attentionForwardPerToken() * tokens;
    }

    /** Nominal training FLOPs per token as if the head ran at every position. */
    public double nominalTrainingPerToken() {
        return 6.0 * (encoderMatmulParams() + headMatmulParams()) + 3.0 * attentionForwardPerToken();
    }

    /** Eval-mode encoder FLOPs per token: {@code 2 N_enc + 4 L S d}, the part every task's inference shares. */
    public double encoderPerToken() {
        return 2.0 * encoderMatmulParams() + attentionForwardPerToken();
    }

    /** A classifier's FLOPs per prediction: {@code 2 d numLabels}. */
    public double classifierPerPrediction(int numLabels) {
        return 2.0 * model.dModel() * numLabels;
    }

    /** Inference FLOPs per token with logits at every position. */
    public double inferencePerToken() {
        return 2.0 * (encoderMatmulParams() + headMatmulParams()) + attentionForwardPerToken();
    }

    /** Model FLOP utilisation: achieved FLOP/s over the measured peak. */
    public static double utilisation(double flopsPerSecond, double peakFlopsPerSecond) {
        return peakFlopsPerSecond <= 0 ? Double.NaN : flopsPerSecond / peakFlopsPerSecond;
    }
}
