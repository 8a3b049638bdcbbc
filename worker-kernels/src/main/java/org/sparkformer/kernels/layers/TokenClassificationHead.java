package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;

/** Per-token classifier {@code logits = h · Wᵀ + b}: {@code head.classifier.weight [numLabels, d]}, {@code head.classifier.bias}. */
public final class TokenClassificationHead implements Head {

    private final int dModel;
    private final int numLabels;
    private final Linear classifier;

    public TokenClassificationHead(ParameterSet params, TransformerConfig cfg) {
        this.dModel = cfg.dModel();
        this.numLabels = cfg.numLabels();
        this.classifier = new Linear(params, "head.classifier", dModel, numLabels);
    }

    @Override
    public INDArray forward(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c) {
        INDArray g = RowSelection.gather(hidden, positions, "head.gathered", c.ws());
        INDArray logits = c.ws().rows("head.logits", g.rows(), numLabels);
        classifier.forward(g, logits);
        return logits;
    }

    @Override
    public void backward(INDArray hidden, MiniBatch batch, int[] positions, INDArray dLogits, INDArray dHidden, BatchContext c) {
        Workspace ws = c.ws();
        INDArray g = positions == null ? hidden : ws.rows("head.gathered", positions.length, dModel);
        INDArray dg = ws.rows("head.dgathered", g.rows(), dModel);
        classifier.backward(g, dLogits, dg, false);
        RowSelection.scatter(dg, positions, dHidden);
    }
}
