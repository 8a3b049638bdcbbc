package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.host.BiasRows;
import org.sparkformer.kernels.host.ColumnSums;
import org.sparkformer.kernels.host.MatMul;

/**
 * Masked-LM (and causal-LM) head: {@code t = LN(f(transform(h)))}, {@code logits = t · Dᵀ + bias}, where the decoder
 * D is the token embedding matrix when tied, else {@code head.mlm.decoder.weight [vocab, d]}. Parameters
 * {@code head.mlm.transform}, {@code head.mlm.ln}, {@code head.mlm.bias [vocab]}.
 */
public final class LanguageModelHead implements Head {

    private final int dModel;
    private final int vocabSize;
    private final Linear transform;
    private final ActivationFunction activation;
    private final LayerNorm norm;
    private final Parameter decoder;
    private final Parameter bias;

    public LanguageModelHead(ParameterSet params, TransformerConfig cfg, Parameter tokenEmbedding) {
        this.dModel = cfg.dModel();
        this.vocabSize = cfg.vocabSize();
        this.transform = new Linear(params, "head.mlm.transform", dModel, dModel);
        this.activation = new ActivationFunction(cfg.activation());
        this.norm = new LayerNorm(params, "head.mlm.ln", dModel);
        this.decoder = cfg.tieEmbeddings() ? tokenEmbedding
                : params.declare("head.mlm.decoder.weight", Parameter.Init.NORMAL, true, vocabSize, dModel);
        this.bias = params.declare("head.mlm.bias", Parameter.Init.ZEROS, false, vocabSize);
    }

    @Override
    public INDArray forward(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c) {
        INDArray g = RowSelection.gather(hidden, positions, "head.gathered", c.ws());
        INDArray logits = c.ws().rows("head.logits", g.rows(), vocabSize);
        decode(g, logits, c);
        return logits;
    }

    /** The decoder writes straight into {@code out}: no workspace copy of the [N, vocab] logits. */
    @Override
    public void forwardInto(INDArray hidden, MiniBatch batch, BatchContext c, INDArray out) {
        decode(hidden, out, c);
    }

    /**
     * The decoder writes straight into {@code out}, the transform's bias and activation in one pass, and only the
     * selected rows reach the vocabulary projection.
     */
    @Override
    public void infer(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c, INDArray out) {
        Workspace ws = c.ws();
        INDArray g = RowSelection.gather(hidden, positions, "head.inference.gathered", ws);
        long l = g.rows();
        INDArray act = ws.rows("head.inference.act", l, dModel);
        INDArray t = ws.rows("head.inference.t", l, dModel);
        transform.forwardActivated(g, act, activation);
        norm.forward(act, t, ws, false);
        BiasRows.fill(out, bias.value());                         // [L, vocab]
        MatMul.xWt(t, decoder.value(), out, 1.0);
    }

    /** {@code logits[L, vocab]} for the selected hidden rows {@code g[L, d]}. */
    private void decode(INDArray g, INDArray logits, BatchContext c) {
        Workspace ws = c.ws();
        long l = g.rows();
        INDArray pre = ws.rows("head.pre", l, dModel);
        INDArray act = ws.rows("head.act", l, dModel);
        INDArray t = ws.rows("head.t", l, dModel);
        transform.forward(g, pre);
        activation.forward(pre, act);
        norm.forward(act, t, ws, c.training());
        BiasRows.fill(logits, bias.value());                      // [L, vocab]
        MatMul.xWt(t, decoder.value(), logits, 1.0);
    }

    @Override
    public void backward(INDArray hidden, MiniBatch batch, int[] positions, INDArray dLogits, INDArray dHidden, BatchContext c) {
        Workspace ws = c.ws();
        INDArray g = positions == null ? hidden : ws.rows("head.gathered", positions.length, dModel);
        long l = g.rows();
        INDArray pre = ws.rows("head.pre", l, dModel);
        INDArray act = ws.rows("head.act", l, dModel);
        INDArray t = ws.rows("head.t", l, dModel);
        ColumnSums.addTo(dLogits, bias.grad());
        MatMul.dyTx(dLogits, t, decoder.grad(), 1.0);
        INDArray dt = ws.rows("head.dt", l, dModel);
        MatMul.dyW(dLogits, decoder.value(), dt, 0.0);
        INDArray dAct = ws.rows("head.dact", l, dModel);
        norm.backward(dt, dAct, false, ws);
        activation.backward(pre, act, dAct);
        INDArray dg = ws.rows("head.dgathered", l, dModel);
        transform.backward(g, dAct, dg, false);
        RowSelection.scatter(dg, positions, dHidden);
    }
}
