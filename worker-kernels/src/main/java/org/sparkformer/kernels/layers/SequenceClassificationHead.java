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

    /** Pools with host row passes instead of the {@code [rows, N]} product: [CLS] is a copy, the mean one pass per row. */
    @Override
    public void infer(INDArray hidden, MiniBatch batch, int[] positions, BatchContext c, INDArray out) {
        int rows = batch.rows();
        int t = batch.seqLen();
        INDArray pooled = c.ws().rows("head.inference.pooled", rows, dModel);
        HostArray from = HostArray.of(hidden);
        HostArray to = HostArray.of(pooled);
        int[] mask = batch.attentionMask();
        double[] sum = new double[dModel];
        double[] row = new double[dModel];
        float[] staging = new float[dModel];
        for (int b = 0; b < rows; b++) {
            if (pooling == Pooling.CLS) {
                to.copy(b * dModel, from, b * t * dModel, dModel);
                continue;
            }
            java.util.Arrays.fill(sum, 0);
            int count = 0;
            for (int i = 0; i < t; i++) {
                if (mask[b * t + i] != 0) {
                    from.read((b * t + i) * dModel, row, dModel, staging);
                    for (int k = 0; k < dModel; k++) {
                        sum[k] += row[k];
                    }
                    count++;
                }
            }
            for (int k = 0; k < dModel; k++) {
                sum[k] = count == 0 ? 0 : sum[k] / count;
            }
            to.write(b * dModel, sum, dModel, staging);
        }
        classifier.forward(pooled, out);
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
