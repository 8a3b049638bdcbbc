package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.host.HostArray;

/**
 * Pools each sequence to one vector ([CLS] = position 0, or the mean over non-padding positions) and classifies
 * it: {@code head.classifier.weight [numLabels, d]}, {@code head.classifier.bias}. Pooling is a product with a
 * {@code [rows, N]} weight matrix, so both pooling kinds share one exact forward and backward.
 */
public final class SequenceClassificationHead implements Head {

    private final int dModel;
    private final int numLabels;
    private final Pooling pooling;
    private final Linear classifier;

    public SequenceClassificationHead(ParameterSet params, TransformerConfig cfg) {
        this.dModel = cfg.dModel();
        this.numLabels = cfg.numLabels();
        this.pooling = cfg.pooling();
        this.classifier = new Linear(params, "head.classifier", dModel, numLabels);
    }

    private INDArray poolingWeights(MiniBatch batch, Workspace ws) {
        int rows = batch.rows();
        int t = batch.seqLen();
        INDArray weights = ws.array("head.pooling", rows, (long) rows * t);   // [rows, N]
        weights.assign(0);
        HostArray w = HostArray.of(weights);
        int[] mask = batch.attentionMask();
        for (int b = 0; b < rows; b++) {
            int rowStart = b * rows * t + b * t;
            if (pooling == Pooling.CLS) {
                w.set(rowStart, 1.0);
            } else {
                int count = 0;
                for (int i = 0; i < t; i++) {
                    count += mask[b * t + i] != 0 ? 1 : 0;
                }
                for (int i = 0; i < t && count > 0; i++) {
                    w.set(rowStart + i, mask[b * t + i] != 0 ? 1.0 / count : 0.0);
                }
            }
        }
        return weights;
    }

    @Override
    public INDArray forward(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c) {
        Workspace ws = c.ws();
        INDArray weights = poolingWeights(batch, ws);
        INDArray pooled = ws.array("head.pooled", batch.rows(), dModel);
        Nd4j.gemm(hidden.transpose(), weights, pooled.transpose(), false, true, 1.0, 0.0);   // pooledᵀ = hᵀ · Pᵀ
        INDArray logits = ws.array("head.logits", batch.rows(), numLabels);
        classifier.forward(pooled, logits);
        return logits;
    }

    @Override
    public void backward(INDArray hidden, MiniBatch batch, int[] positions, INDArray dLogits, INDArray dHidden, BatchContext c) {
        Workspace ws = c.ws();
        INDArray pooled = ws.array("head.pooled", batch.rows(), dModel);
        INDArray dPooled = ws.array("head.dpooled", batch.rows(), dModel);
        classifier.backward(pooled, dLogits, dPooled, false);
        INDArray weights = ws.array("head.pooling", batch.rows(), (long) batch.rows() * batch.seqLen());
        Nd4j.gemm(dPooled.transpose(), weights, dHidden.transpose(), false, false, 1.0, 0.0);   // dhᵀ = dpooledᵀ · P
    }
}
