package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;

/**
 * Per-word classifier {@code logits = h · Wᵀ + b}: {@code head.classifier.weight [numLabels, d]},
 * {@code head.classifier.bias}. {@code h} is the state at the predicted position, or with {@link WordPooling#MEAN}
 * the mean over the sub-tokens of the word that starts there ({@link WordMeans}).
 */
public final class TokenClassificationHead implements Head {

    private final int dModel;
    private final int numLabels;
    private final boolean meanOfWord;
    private final Linear classifier;

    public TokenClassificationHead(ParameterSet params, TransformerConfig cfg) {
        this.dModel = cfg.dModel();
        this.numLabels = cfg.numLabels();
        this.meanOfWord = cfg.wordPooling() == WordPooling.MEAN;
        this.classifier = new Linear(params, "head.classifier", dModel, numLabels);
    }

    @Override
    public INDArray forward(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c) {
        INDArray g = meanOfWord ? WordMeans.pool(hidden, batch, positions, c.ws())
                : RowSelection.gather(hidden, positions, "head.gathered", c.ws());
        INDArray logits = c.ws().rows("head.logits", g.rows(), numLabels);
        classifier.forward(g, logits);
        return logits;
    }

    /** The classifier writes straight into {@code out}. */
    @Override
    public void infer(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c, INDArray out) {
        INDArray g = meanOfWord ? WordMeans.pool(hidden, batch, positions, c.ws())
                : RowSelection.gather(hidden, positions, "head.gathered", c.ws());
        classifier.forward(g, out);
    }

    @Override
    public void backward(INDArray hidden, MiniBatch batch, int[] positions, INDArray dLogits, INDArray dHidden, BatchContext c) {
        Workspace ws = c.ws();
        long predicted = positions == null ? hidden.rows() : positions.length;
        INDArray g = meanOfWord ? ws.rows("head.pooled", predicted, dModel)
                : positions == null ? hidden : ws.rows("head.gathered", predicted, dModel);
        INDArray dg = ws.rows("head.dgathered", predicted, dModel);
        classifier.backward(g, dLogits, dg, false);
        if (meanOfWord) {
            WordMeans.backward(dg, batch, positions, dHidden);
        } else {
            RowSelection.scatter(dg, positions, dHidden);
        }
    }
}
