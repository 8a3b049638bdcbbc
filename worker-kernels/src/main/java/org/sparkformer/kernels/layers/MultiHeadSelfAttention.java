package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-head scaled dot-product self-attention with a fused QKV projection ({@code <name>.qkv}, weight
 * {@code [3*d, d]}: rows 0..d-1 produce Q, then K, then V; within each, head h owns rows h*dh..(h+1)*dh-1) and an
 * output projection ({@code <name>.out}). Heads are batched: Q, K, V are laid out as {@code [rows*heads, T, dh]}
 * and multiplied with {@link BatchedMatMul}; {@link HeadLayout} moves activations into and out of that layout.
 */
public final class MultiHeadSelfAttention {

    private final String name;
    private final int dModel;
    private final int heads;
    private final int headSize;
    private final Linear qkv;
    private final Linear out;
    private final Dropout probsDropout;

    public MultiHeadSelfAttention(ParameterSet params, String name, int dModel, int heads, double attentionDropout) {
        this.name = name;
        this.dModel = dModel;
        this.heads = heads;
        this.headSize = dModel / heads;
        this.qkv = new Linear(params, name + ".qkv", dModel, 3 * dModel);
        this.out = new Linear(params, name + ".out", dModel, dModel);
        this.probsDropout = new Dropout(attentionDropout);
    }

    private boolean dropsProbs(BatchContext c) {
        return c.training() && probsDropout.active();
    }

    private static INDArray part(INDArray heads, int which) {
        return heads.get(NDArrayIndex.point(which), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** {@code y[N,d] = attention(x[N,d])}. */
    public void forward(INDArray x, INDArray y, BatchContext c) {
        forward(x, y, null, c);
    }

    /** {@code y[N,d] = attention(x[N,d])}, plus {@code residual[N,d]} when it is not null. */
    public void forward(INDArray x, INDArray y, INDArray residual, BatchContext c) {
        int rows = c.rows();
        int t = c.seqLen();
        int n = c.positions();
        int bh = rows * heads;
        Workspace ws = c.ws();

        INDArray projected = ws.array("attention.qkv", n, 3L * dModel);
        qkv.forward(x, projected);
        // [rows, T, 3, H, dh] -> [3, rows*H, T, dh], queries scaled by 1/sqrt(dh)
        INDArray split = ws.array(name + ".heads", 3, bh, t, headSize);
        HeadLayout layout = new HeadLayout(rows, t, heads, headSize);
        layout.split(projected, split, 3, 1.0 / Math.sqrt(headSize));
        INDArray q = part(split, 0);
        INDArray k = part(split, 1);
        INDArray v = part(split, 2);

        INDArray scores = ws.array("attention.scores", bh, t, t);
        BatchedMatMul.multiply(q, false, k, true, scores);                 // [BH, T, T] = q · kᵀ
        INDArray probs = ws.array(name + ".probs", bh, t, t);
        INDArray weights = probs;
        if (dropsProbs(c)) {
            // softmax(scores + mask) per query, and its dropout W in the same pass: backward needs P and W, not the mask
            weights = ws.array(name + ".probsDropped", bh, t, t);
            AttentionSoftmax.rows(scores, c.attentionBias(), heads, t, probs, probsDropout, c.seedFor(name, 0), weights);
        } else {
            AttentionSoftmax.rows(scores, c.attentionBias(), heads, t, probs);   // softmax(scores + mask) per query
        }
        INDArray context = ws.array("attention.context", bh, t, headSize);
        BatchedMatMul.multiply(weights, false, v, false, context);        // [BH, T, dh]
        // [rows, H, T, dh] -> [rows, T, H, dh] = [N, d]
        INDArray merged = ws.array(name + ".merged", n, dModel);
        layout.merge(context, merged, 1, 1.0);
        out.forward(merged, y, residual);
    }

    /** Adds parameter gradients for {@code dy[N,d]}; writes {@code dx[N,d]} (adds when {@code accumulate}). */
    public void backward(INDArray x, INDArray dy, INDArray dx, boolean accumulate, BatchContext c) {
        int rows = c.rows();
        int t = c.seqLen();
        int n = c.positions();
        int bh = rows * heads;
        Workspace ws = c.ws();
        INDArray split = ws.array(name + ".heads", 3, bh, t, headSize);
        INDArray q = part(split, 0);
        INDArray k = part(split, 1);
        INDArray v = part(split, 2);
        INDArray probs = ws.array(name + ".probs", bh, t, t);
        INDArray weights = dropsProbs(c) ? ws.array(name + ".probsDropped", bh, t, t) : probs;

        INDArray dMerged = ws.array("attention.dmerged", n, dModel);
        out.backward(ws.array(name + ".merged", n, dModel), dy, dMerged, false);
        INDArray dContext = ws.array("attention.dcontext", bh, t, headSize);
        HeadLayout layout = new HeadLayout(rows, t, heads, headSize);
        layout.split(dMerged, dContext, 1, 1.0);

        INDArray dSplit = ws.array("attention.dheads", 3, bh, t, headSize);
        INDArray dq = part(dSplit, 0);
        INDArray dk = part(dSplit, 1);
        INDArray dv = part(dSplit, 2);
        INDArray dWeights = ws.array("attention.dweights", bh, t, t);
        BatchedMatMul.multiply(dContext, false, v, true, dWeights);       // dP = dctx · vᵀ
        BatchedMatMul.multiply(weights, true, dContext, false, dv);       // dv = Pᵀ · dctx
        INDArray dScores = ws.array("attention.dscores", bh, t, t);
        SoftmaxBackward.rows(probs, dWeights, dropsProbs(c) ? weights : null, dScores, t);

        BatchedMatMul.multiply(dScores, false, k, false, dq);             // dq_scaled = dS · k
        BatchedMatMul.multiply(dScores, true, q, false, dk);              // dk = dSᵀ · q_scaled

        // [3, rows*H, T, dh] -> [rows, T, 3, H, dh], dq = dq_scaled / sqrt(dh)
        INDArray dProjected = ws.array("attention.dqkv", n, 3L * dModel);
        layout.merge(dSplit, dProjected, 3, 1.0 / Math.sqrt(headSize));
        qkv.backward(x, dProjected, dx, accumulate);
    }
}
