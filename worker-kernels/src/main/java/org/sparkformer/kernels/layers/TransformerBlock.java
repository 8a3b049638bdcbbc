package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.TransformerConfig;

/**
 * One encoder block. Pre-LN: {@code h = x + drop(mix(ln1(x))); out = h + drop(ffn(ln2(h)))}.
 * Post-LN: {@code h = ln1(x + drop(mix(x))); out = ln2(h + drop(ffn(h)))}.
 * The token mixing is attention, {@code mix(a) = attn(a)}, or with a local convolution (model option
 * {@code convolution}) {@code mix(a) = attn(a) + conv(a)}: each position sees its neighbours directly beside what
 * attention gathers.
 * Parameters under {@code blocks.<i>.}: {@code ln1, attention.qkv, attention.out, [conv,] ln2, ffn.in, ffn.out}.
 */
public final class TransformerBlock {

    private final String name;
    private final int dModel;
    private final boolean preNorm;
    private final LayerNorm ln1;
    private final MultiHeadSelfAttention attention;
    private final LocalConvolution conv;
    private final LayerNorm ln2;
    private final FeedForward ffn;
    private final Dropout residualDropout;

    /** Block {@code index} of a model of {@code cfg}, with that block's heads and feed-forward width. */
    public TransformerBlock(ParameterSet params, String name, TransformerConfig cfg, int index) {
        this.name = name;
        this.dModel = cfg.dModel();
        this.preNorm = cfg.norm() == NormPlacement.PRE;
        this.ln1 = new LayerNorm(params, name + ".ln1", dModel);
        this.attention = new MultiHeadSelfAttention(params, name + ".attention", dModel, cfg.headsIn(index),
                cfg.headSize(), cfg.attentionDropout());
        this.conv = cfg.convolution() == 0 ? null
                : new LocalConvolution(params, name + ".conv", dModel, cfg.convolution(), cfg.attention() == AttentionMode.CAUSAL);
        this.ln2 = new LayerNorm(params, name + ".ln2", dModel);
        this.ffn = new FeedForward(params, name + ".ffn", dModel, cfg.dFfIn(index), cfg.activation());
        this.residualDropout = new Dropout(cfg.dropout());
    }

    private INDArray buffer(BatchContext c, String key) {
        return c.ws().array(name + "." + key, c.positions(), dModel);
    }

    private INDArray scratch(BatchContext c, String key) {
        return c.ws().array("block." + key, c.positions(), dModel);
    }

    private boolean drops(BatchContext c) {
        return c.training() && residualDropout.active();
    }

    /** A branch of the block (attention or feed-forward): {@code y = branch(input)}, plus {@code residual} when not null. */
    @FunctionalInterface
    private interface Branch {
        void forward(INDArray input, INDArray y, INDArray residual, BatchContext c);
    }

    /**
     * {@code out = stream + drop(branch(input))}. With dropout the branch output goes to its own buffer and is dropped
     * and added in one pass; without, the branch's output projection adds onto the stream itself (the stream copied
     * in with the bias). {@code key} names the branch output buffer, {@code site} the dropout site.
     */
    private void residual(Branch branch, INDArray input, INDArray stream, INDArray out, BatchContext c, String key, int site) {
        if (drops(c)) {
            INDArray branchOut = buffer(c, key);
            branch.forward(input, branchOut, null, c);
            residualDropout.applyAndAdd(branchOut, buffer(c, "mask" + site), stream, out, c.seedFor(name, site));
        } else {
            branch.forward(input, out, stream, c);
        }
    }

    /** The gradient reaching a branch's output: {@code grad * mask} in {@code scratch}, or {@code grad} itself without dropout. */
    private INDArray branchGrad(INDArray grad, INDArray scratch, BatchContext c, int site) {
        if (!drops(c)) {
            return grad;
        }
        Dropout.backward(grad, buffer(c, "mask" + site), scratch);
        return scratch;
    }

    /** The token-mixing branch: {@code y = attn(input) [+ conv(input)] [+ residual]}. */
    private void mix(INDArray input, INDArray y, INDArray residual, BatchContext c) {
        attention.forward(input, y, residual, c);
        if (conv != null) {
            conv.addForward(input, y, c);
        }
    }

    /** Adds the mixing branch's parameter gradients for {@code dy} and writes {@code dInput}. */
    private void mixBackward(INDArray input, INDArray dy, INDArray dInput, BatchContext c) {
        attention.backward(input, dy, dInput, false, c);
        if (conv != null) {
            conv.backward(input, dy, dInput, c);
        }
    }

    /** {@code out[N,d] = block(x[N,d])}; x must stay untouched until backward. */
    public void forward(INDArray x, INDArray out, BatchContext c) {
        INDArray h = buffer(c, "h");
        if (preNorm) {
            INDArray a = buffer(c, "ln1Out");
            INDArray b = buffer(c, "ln2Out");
            ln1.forward(x, a, c.ws(), c.training());
            residual(this::mix, a, x, h, c, "attnOut", 1);
            ln2.forward(h, b, c.ws(), c.training());
            residual(ffn::forward, b, h, out, c, "ffnOut", 2);
        } else {
            INDArray s1 = buffer(c, "sum1");
            INDArray s2 = buffer(c, "sum2");
            residual(this::mix, x, x, s1, c, "attnOut", 1);
            ln1.forward(s1, h, c.ws(), c.training());
            residual(ffn::forward, h, h, s2, c, "ffnOut", 2);
            ln2.forward(s2, out, c.ws(), c.training());
        }
    }

    /**
     * Eval pass {@code out[N,d] = block(x[N,d])} for inference ({@code out} a different buffer from x, which is left as
     * it was): no dropout, nothing kept for backward, every residual added by the product that ends its
     * branch, and the normalised input in {@code scratch [N,d]}, which every block of a pass shares.
     */
    public void infer(INDArray x, INDArray out, INDArray scratch, BatchContext c) {
        if (preNorm) {
            ln1.forward(x, scratch, c.ws(), false);
            attention.infer(scratch, out, x, c);                  // h = x + attn(ln1(x))
            if (conv != null) {
                conv.inferAdd(scratch, out, c);                   //     + conv(ln1(x))
            }
            ln2.forward(out, scratch, c.ws(), false);
            ffn.infer(scratch, out, out, c.ws());                 // out = h + ffn(ln2(h))
        } else {
            attention.infer(x, scratch, x, c);                    // s1 = x + attn(x) + conv(x)
            if (conv != null) {
                conv.inferAdd(x, scratch, c);
            }
            ln1.forward(scratch, out, c.ws(), false);             // h = ln1(s1)
            ffn.infer(out, scratch, out, c.ws());                 // s2 = h + ffn(h)
            ln2.forward(scratch, out, c.ws(), false);             // out = ln2(s2)
        }
    }

    /**
     * Adds parameter gradients for {@code dOut[N,d]} and writes {@code dx[N,d]} (a different buffer); {@code dOut} is
     * used as scratch and holds no meaningful values afterwards.
     */
    public void backward(INDArray x, INDArray dOut, INDArray dx, BatchContext c) {
        INDArray dBranch = scratch(c, "dBranch");
        INDArray dNorm = scratch(c, "dNorm");
        if (preNorm) {
            INDArray dStream = dOut;                              // dL/dh, accumulated in place
            ffn.backward(buffer(c, "ln2Out"), branchGrad(dOut, dBranch, c, 2), dNorm, false, c);
            ln2.backward(dNorm, dStream, true, c.ws());
            mixBackward(buffer(c, "ln1Out"), branchGrad(dStream, dBranch, c, 1), dNorm, c);
            ln1.backward(dNorm, dx, dStream, c.ws());             // dx = dStream + ln1'(dNorm)
        } else {
            INDArray dStream = scratch(c, "dStream");
            ln2.backward(dOut, dStream, false, c.ws());           // dL/ds2
            ffn.backward(buffer(c, "h"), branchGrad(dStream, dBranch, c, 2), dNorm, false, c);
            dNorm.addi(dStream);                                  // dL/dh
            ln1.backward(dNorm, dStream, false, c.ws());          // dL/ds1
            mixBackward(x, branchGrad(dStream, dBranch, c, 1), dx, c);
            dx.addi(dStream);
        }
    }
}
