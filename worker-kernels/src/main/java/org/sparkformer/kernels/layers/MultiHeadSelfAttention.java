package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.host.BatchedMatMul;
import org.sparkformer.kernels.host.SoftmaxBackward;

/**
 * Multi-head scaled dot-product self-attention with a fused QKV projection ({@code <name>.qkv}, weight
 * {@code [3*a, d]} where {@code a = heads * dh} is the attention width, {@code d} for a full block: rows 0..a-1
 * produce Q, then K, then V; within each, head h owns rows h*dh..(h+1)*dh-1) and an output projection
 * ({@code <name>.out}, weight {@code [d, a]}). A block whose heads were pruned keeps fewer heads of the same width. Heads are batched: {@link BatchedMatMul} multiplies each head's Q, K and V
 * where the projection left them (the {@code [T, dh]} blocks of the {@code [N, 3d]} projection), writes each head's
 * context straight into its columns of the {@code [N, d]} input of the output projection, and the gradients likewise;
 * only the {@code [BH, T, T]} scores and weights have a per-head layout of their own.
 */
public final class MultiHeadSelfAttention {

    private final String name;
    private final int width;
    private final int heads;
    private final int headSize;
    private final Linear qkv;
    private final Linear out;
    private final Dropout probsDropout;

    /** {@code heads} heads of width {@code dModel / heads}. */
    public MultiHeadSelfAttention(ParameterSet params, String name, int dModel, int heads, double attentionDropout) {
        this(params, name, dModel, heads, dModel / heads, attentionDropout);
    }

    /** {@code heads} heads of width {@code headSize}, attending over and writing back {@code dModel}-wide states. */
    public MultiHeadSelfAttention(ParameterSet params, String name, int dModel, int heads, int headSize,
                                  double attentionDropout) {
        this.name = name;
        this.width = heads * headSize;
        this.heads = heads;
        this.headSize = headSize;
        this.qkv = new Linear(params, name + ".qkv", dModel, 3 * width);
        this.out = new Linear(params, name + ".out", width, dModel);
        this.probsDropout = new Dropout(attentionDropout);
    }

    /** Workspace key of scratch shared by every attention layer with this many heads. */
    private String scratch(String key) {
        return "attention." + key + "/" + heads;
    }

    private boolean dropsProbs(BatchContext c) {
        return c.training() && probsDropout.active();
    }

    /** Part {@code p} (0 = Q, 1 = K, 2 = V) of every head, in place in a {@code [N, 3*a]} (or, p = 0, {@code [N, a]}) array. */
    private BatchedMatMul.Operands heads(INDArray tokens, int p, BatchContext c) {
        return BatchedMatMul.Operands.heads(tokens, c.seqLen(), heads, headSize, p * width);
    }

    /** {@code y[N,d] = attention(x[N,d])}. */
    public void forward(INDArray x, INDArray y, BatchContext c) {
        forward(x, y, null, c);
    }

    /** {@code y[N,d] = attention(x[N,d])}, plus {@code residual[N,d]} when it is not null. */
    public void forward(INDArray x, INDArray y, INDArray residual, BatchContext c) {
        int t = c.seqLen();
        int n = c.positions();
        int bh = c.rows() * heads;
        Workspace ws = c.ws();
        double scale = 1.0 / Math.sqrt(headSize);

        INDArray projected = ws.array(name + ".qkv", n, 3L * width);    // [N, 3a]: Q, K, V of every head, kept for backward
        qkv.forward(x, projected);
        INDArray scores = ws.array(scratch("scores"), bh, t, t);
        BatchedMatMul.multiply(heads(projected, 0, c), false, heads(projected, 1, c), true, dense(scores), scale);   // [BH, T, T] = q · kᵀ / sqrt(dh)
        INDArray probs = ws.array(name + ".probs", bh, t, t);
        INDArray weights = probs;
        if (dropsProbs(c)) {
            // softmax(scores + mask) per query, and its dropout W in the same pass: backward needs P and W, not the mask
            weights = ws.array(name + ".probsDropped", bh, t, t);
            AttentionSoftmax.rows(scores, c.attentionBias(), heads, t, probs, probsDropout, c.seedFor(name, 0), weights);
        } else {
            AttentionSoftmax.rows(scores, c.attentionBias(), heads, t, probs);   // softmax(scores + mask) per query
        }
        INDArray merged = ws.array(name + ".merged", n, width);
        BatchedMatMul.multiply(dense(weights), false, heads(projected, 2, c), false, heads(merged, 0, c), 1.0);   // [N, a] = W · v per head
        out.forward(merged, y, residual);
    }

    /**
     * Eval pass {@code y[N,d] = residual + attention(x[N,d])} (without the residual when it is null): nothing is kept
     * for backward, so the projection and the context live in scratch shared by every attention layer of this width,
     * and the scores never exist for the whole batch: a batch row at a time, its heads' {@code q · kᵀ} go to one
     * {@code [heads, T, T]} scratch, the masked softmax runs in place while they are still in cache, then
     * {@code W · v} writes the row's context. Runs on the calling thread (the products on the BLAS's threads).
     */
    public void infer(INDArray x, INDArray y, INDArray residual, BatchContext c) {
        int t = c.seqLen();
        int n = c.positions();
        Workspace ws = c.ws();
        double scale = 1.0 / Math.sqrt(headSize);
        INDArray projected = ws.rows("attention.inference.qkv/" + width, n, 3L * width);   // [N, 3a]
        qkv.forward(x, projected);
        INDArray merged = ws.rows("attention.inference.merged/" + width, n, width);         // [N, a]
        BatchedMatMul.Operands q = heads(projected, 0, c);
        BatchedMatMul.Operands k = heads(projected, 1, c);
        BatchedMatMul.Operands v = heads(projected, 2, c);
        BatchedMatMul.Operands context = heads(merged, 0, c);
        INDArray scores = ws.rows("attention.inference.scores/" + heads, (long) heads * t, t).reshape(heads, t, t);
        BatchedMatMul.Operands s = BatchedMatMul.Operands.dense(scores);
        for (int row = 0; row < c.rows(); row++) {
            int from = row * heads;
            BatchedMatMul.multiply(q.slice(from, heads), false, k.slice(from, heads), true, s, scale);   // [H, T, T]
            AttentionSoftmax.sequence(scores, c.attentionBias(), row, t);
            BatchedMatMul.multiply(s, false, v.slice(from, heads), false, context.slice(from, heads), 1.0);
        }
        out.forward(merged, y, residual);
    }

    /** Adds parameter gradients for {@code dy[N,d]}; writes {@code dx[N,d]} (adds when {@code accumulate}). */
    public void backward(INDArray x, INDArray dy, INDArray dx, boolean accumulate, BatchContext c) {
        int t = c.seqLen();
        int n = c.positions();
        int bh = c.rows() * heads;
        Workspace ws = c.ws();
        double scale = 1.0 / Math.sqrt(headSize);
        INDArray projected = ws.array(name + ".qkv", n, 3L * width);
        INDArray probs = ws.array(name + ".probs", bh, t, t);
        INDArray weights = dropsProbs(c) ? ws.array(name + ".probsDropped", bh, t, t) : probs;

        INDArray dMerged = ws.array(scratch("dmerged"), n, width);
        out.backward(ws.array(name + ".merged", n, width), dy, dMerged, false);
        BatchedMatMul.Operands dContext = heads(dMerged, 0, c);
        INDArray dProjected = ws.array(scratch("dqkv"), n, 3L * width);
        INDArray dWeights = ws.array(scratch("dweights"), bh, t, t);
        BatchedMatMul.multiply(dContext, false, heads(projected, 2, c), true, dense(dWeights), 1.0);     // dW = dctx · vᵀ
        BatchedMatMul.multiply(dense(weights), true, dContext, false, heads(dProjected, 2, c), 1.0);     // dv = Wᵀ · dctx
        INDArray dScores = ws.array(scratch("dscores"), bh, t, t);
        SoftmaxBackward.rows(probs, dWeights, dropsProbs(c) ? weights : null, dScores, t);
        BatchedMatMul.multiply(dense(dScores), false, heads(projected, 1, c), false, heads(dProjected, 0, c), scale);   // dq = dS · k / sqrt(dh)
        BatchedMatMul.multiply(dense(dScores), true, heads(projected, 0, c), false, heads(dProjected, 1, c), scale);    // dk = dSᵀ · q / sqrt(dh)
        qkv.backward(x, dProjected, dx, accumulate);
    }

    private static BatchedMatMul.Operands dense(INDArray perHead) {
        return BatchedMatMul.Operands.dense(perHead);
    }
}
